// The regular-expression engine of schema `pattern`s: RE2 semantics in linear
// time (re2js), as the Kubernetes API server evaluates CRD patterns. The
// JavaScript engine backtracks, and some upstream patterns take exponential
// time on a near-miss value, which would freeze the editor.
// Plain CommonJS because ajv's precompiled validators `require` it.
'use strict';
const { RE2JS } = require('re2js');

const compiled = new Map();

function re2Pattern(pattern) {
  let regExp = compiled.get(pattern);
  if (!regExp) {
    let re;
    try {
      re = RE2JS.compile(pattern);
    } catch {
      // A pattern RE2 cannot compile never matches; the schema author's intent is unknown.
      re = undefined;
    }
    // ajv keys compiled patterns by toString(): it must differ per pattern.
    regExp = { test: (value) => (re ? re.test(value) : true), toString: () => `/${pattern}/` };
    compiled.set(pattern, regExp);
  }
  return regExp;
}
re2Pattern.code = 'require("../re2Pattern.cjs")';
module.exports = re2Pattern;
