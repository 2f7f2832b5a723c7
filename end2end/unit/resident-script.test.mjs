// The resident's page script (public/resident.js) against the shared test vectors written from
// the Rust evaluator (app/tests/resident_script_vectors.json; see
// app/src/domain/survey/page_script.rs): display rules, reading answers from the form, and
// required questions left unanswered must come out exactly as the server decides them.
// Run with `node --test end2end/unit/` (the README's test command does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);
const script = require(new URL('public/resident.js', root).pathname);
const vectors = JSON.parse(readFileSync(new URL('app/tests/resident_script_vectors.json', root), 'utf8'));

test('display rules hold exactly when the Rust evaluator says they do', () => {
  assert.ok(vectors.rules.length > 1000, 'the vectors are there');
  const wrong = vectors.rules.filter((v) =>
    vectors.answer_sets.some((answers, i) => script.holds(v.condition, answers) !== v.holds[i]));
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${vectors.rules.length} rule vectors disagree`);
});

test('pages show and ask for the same questions as the server', () => {
  let cases = 0;
  const wrong = [];
  for (const page of vectors.pages) {
    for (const c of page.cases) {
      cases++;
      const outcome = script.pageOutcome(page.script, c.posted);
      const expected = { shown: c.shown, unanswered: c.unanswered };
      if (JSON.stringify(outcome) !== JSON.stringify(expected)) {
        wrong.push({ survey: page.survey, page: page.page, posted: c.posted, expected, outcome });
      }
    }
  }
  assert.ok(cases > 500, `the vectors hold ${cases} posted pages`);
  assert.deepEqual(wrong.slice(0, 3), [], `${wrong.length} of ${cases} posted pages disagree`);
});
