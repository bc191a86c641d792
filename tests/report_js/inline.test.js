// write_report.cpp pastes the assets between <script> and <style> tags as they
// are: a closing tag inside one would end its block early and spill the rest
// into the page as text.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const assets = path.join(__dirname, '../../engine/src/report/assets');

for (const [file, tag] of [['report.js', 'script'], ['error_trap.js', 'script'], ['report.css', 'style']]) {
  test(file + ' has no </' + tag, () => {
    const text = fs.readFileSync(path.join(assets, file), 'utf8');
    assert.equal(text.toLowerCase().indexOf('</' + tag), -1);
  });
}
