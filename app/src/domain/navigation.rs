//! Where a page may send a person next.

/// A path inside Canvass to return to after signing in, or `/` when `requested` is missing or
/// points elsewhere. Only same-site absolute paths pass: no scheme, no `//host`, no backslashes
/// (some browsers read `/\host` as another site), so a crafted link cannot send staff away.
pub fn return_path(requested: Option<&str>) -> String {
    match requested {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control)
                && path.len() <= 512 =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Appends query parameters to a path, percent-encoding the values.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let mut out = path.to_owned();
    for (i, (name, value)) in params.iter().enumerate() {
        out.push(if i == 0 && !path.contains('?') { '?' } else { '&' });
        out.push_str(name);
        out.push('=');
        for byte in value.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_canvass_are_kept() {
        assert_eq!(return_path(Some("/admin/users")), "/admin/users");
        assert_eq!(return_path(Some("/admin/users?page=2")), "/admin/users?page=2");
    }

    #[test]
    fn anything_that_could_leave_the_site_goes_home_instead() {
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "admin", "", "/a\nb"] {
            assert_eq!(return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(return_path(None), "/");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            with_query("/login", &[("error", "wrong_credentials"), ("email", "a b@c.gov")]),
            "/login?error=wrong_credentials&email=a%20b%40c.gov"
        );
        assert_eq!(with_query("/x?y=1", &[("z", "2")]), "/x?y=1&z=2");
    }
}
