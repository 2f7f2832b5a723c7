//! Who is asking: the client's network address, read through the city's reverse proxies.
//!
//! Behind a load balancer every request comes from the proxy. Per-address limits (open-link
//! responses, invite-code tries, sign-in failures) would then count the whole city as one
//! address. The proxy says who its client was in `Forwarded` (RFC 7239) or `X-Forwarded-For`;
//! those headers are believed only when the request came from a proxy the city listed with
//! `--trusted-proxies`, and only as far as the chain of trusted proxies goes: the client is the
//! right-most address in the chain that is not a trusted proxy. Anything to its left was written
//! by the client itself and could say anything.

use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use ipnet::IpNet;

/// The proxies whose forwarding headers are believed (`--trusted-proxies`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A `--trusted-proxies` entry that is neither an address nor a CIDR block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR block (e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)")]
pub struct NotAProxyAddress(pub String);

impl TrustedProxies {
    /// No proxy is trusted: the TCP peer is the client (the default).
    pub fn none() -> Self {
        Self::default()
    }

    /// Parses a comma- or space-separated list of addresses and CIDR blocks.
    pub fn parse(list: &str) -> Result<Self, NotAProxyAddress> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                IpNet::from_str(entry)
                    .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                    .map_err(|_| NotAProxyAddress(entry.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// Whether any proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The client of a request, as far as Canvass can tell (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    /// A client known by its address (tests, and requests from this machine).
    pub fn new(address: IpAddr) -> Self {
        ClientAddress(canonical(address))
    }

    /// Reads the client of a request that came from `peer` with these headers.
    pub fn of_request(peer: IpAddr, headers: &http::HeaderMap, trusted: &TrustedProxies) -> Self {
        let peer = canonical(peer);
        if !trusted.trusts(peer) {
            return ClientAddress(peer);
        }
        // `Forwarded` wins when present: it is the standard one, and a proxy that writes it
        // writes it on purpose.
        let chain = forwarded_chain(headers).unwrap_or_else(|| x_forwarded_for_chain(headers));
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(address) if trusted.trusts(*address) => client = *address,
                Some(address) => return ClientAddress(*address),
                // A hop we cannot read ("unknown", an obfuscated name): stop at the last
                // trusted proxy rather than believe what lies to its left.
                None => break,
            }
        }
        ClientAddress(client)
    }

    /// The address itself, for logs.
    pub fn ip(&self) -> IpAddr {
        self.0
    }

    /// What per-address limits count by: the address for IPv4, the /64 network for IPv6 (one
    /// household or phone gets a whole /64 and can pick any address in it).
    pub fn limit_key(&self) -> IpAddr {
        match self.0 {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(Ipv6Addr::from(segments))
            }
        }
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) is the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// The `for=` addresses of every `Forwarded` header, left to right; `None` without the header.
fn forwarded_chain(headers: &http::HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut chain = Vec::new();
    let mut seen = false;
    for value in headers.get_all(http::header::FORWARDED) {
        seen = true;
        let Ok(value) = value.to_str() else {
            chain.push(None);
            continue;
        };
        for element in value.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"'))
            });
            chain.push(node.and_then(parse_node));
        }
    }
    seen.then_some(chain)
}

/// The addresses of every `X-Forwarded-For` header, left to right.
fn x_forwarded_for_chain(headers: &http::HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| match value.to_str() {
            Ok(value) => value.split(',').map(|hop| parse_node(hop.trim())).collect(),
            Err(_) => vec![None],
        })
        .collect()
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(address) = IpAddr::from_str(node) {
        return Some(canonical(address));
    }
    if let Some(rest) = node.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return Ipv6Addr::from_str(inside).ok().map(|v6| canonical(IpAddr::V6(v6)));
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    std::net::Ipv4Addr::from_str(host).ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::test_headers as headers;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn client(peer: &str, pairs: &[(&str, &str)], trusted: &str) -> String {
        let trusted = TrustedProxies::parse(trusted).expect("list");
        ClientAddress::of_request(ip(peer), &headers(pairs), &trusted).to_string()
    }

    #[test]
    fn without_trusted_proxies_the_forwarding_headers_are_ignored() {
        assert_eq!(client("203.0.113.9", &[("x-forwarded-for", "198.51.100.1")], ""), "203.0.113.9");
        assert_eq!(client("203.0.113.9", &[("forwarded", "for=198.51.100.1")], ""), "203.0.113.9");
    }

    #[test]
    fn a_request_from_an_untrusted_peer_is_that_peer_whatever_it_claims() {
        assert_eq!(client("203.0.113.9", &[("x-forwarded-for", "198.51.100.1")], "10.0.0.0/8"), "203.0.113.9");
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_hop() {
        // The client wrote a fake first hop; the proxy appended the real one.
        let xff = [("x-forwarded-for", "1.2.3.4, 198.51.100.7")];
        assert_eq!(client("10.0.0.2", &xff, "10.0.0.0/8"), "198.51.100.7");
        // Two trusted proxies in a row (CDN, then the load balancer).
        let two = [("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.5.5")];
        assert_eq!(client("10.0.0.2", &two, "10.0.0.0/8"), "198.51.100.7");
        // Split across two header lines.
        let split = [("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "198.51.100.7")];
        assert_eq!(client("10.0.0.2", &split, "10.0.0.0/8"), "198.51.100.7");
    }

    #[test]
    fn forwarded_is_read_with_ports_brackets_and_quotes_and_wins_over_x_forwarded_for() {
        let h = [
            ("forwarded", "for=1.2.3.4;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.2"),
            ("x-forwarded-for", "192.0.2.200"),
        ];
        assert_eq!(client("10.0.0.2", &h, "10.0.0.0/8"), "2001:db8:cafe::17");
        assert_eq!(client("10.0.0.2", &[("forwarded", "for=192.0.2.60:8080")], "10.0.0.0/8"), "192.0.2.60");
    }

    #[test]
    fn an_unreadable_hop_stops_at_the_last_trusted_proxy() {
        let h = [("x-forwarded-for", "198.51.100.7, unknown, 10.0.0.9")];
        assert_eq!(client("10.0.0.2", &h, "10.0.0.0/8"), "10.0.0.9");
        assert_eq!(client("10.0.0.2", &[("forwarded", "for=_hidden")], "10.0.0.0/8"), "10.0.0.2");
    }

    #[test]
    fn a_chain_of_only_trusted_proxies_is_the_left_most_of_them() {
        assert_eq!(client("10.0.0.2", &[("x-forwarded-for", "10.1.1.1, 10.0.0.3")], "10.0.0.0/8"), "10.1.1.1");
        assert_eq!(client("10.0.0.2", &[], "10.0.0.0/8"), "10.0.0.2");
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        assert_eq!(client("::ffff:10.0.0.2", &[("x-forwarded-for", "198.51.100.7")], "10.0.0.2"), "198.51.100.7");
    }

    #[test]
    fn limits_count_ipv6_clients_by_their_64_network() {
        let a = ClientAddress::new(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientAddress::new(ip("2001:db8:1:2:bbbb::2"));
        let other = ClientAddress::new(ip("2001:db8:1:3::1"));
        assert_eq!(a.limit_key(), b.limit_key());
        assert_ne!(a.limit_key(), other.limit_key());
        assert_eq!(ClientAddress::new(ip("192.0.2.5")).limit_key(), ip("192.0.2.5"));
    }

    #[test]
    fn a_bad_trusted_proxy_entry_is_named() {
        assert_eq!(TrustedProxies::parse("10.0.0.0/8, proxy.local"), Err(NotAProxyAddress("proxy.local".into())));
        assert!(TrustedProxies::parse(" 10.0.0.0/8 ,192.0.2.1 2001:db8::/32").is_ok());
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
    }
}
