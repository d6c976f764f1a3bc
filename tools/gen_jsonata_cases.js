#!/usr/bin/env node
// gen_jsonata_cases.js — prints the transform, $formatInteger/$parseInteger, regular expression and
// date/time reference tables of sim/tests/unit/test_jsonata.c as C initialisers, each expected value
// produced by jsonata-js 2.0.6 (evaluated in UTC with the clock fixed at TEST_EPOCH_MS,
// 2026-01-01T00:00:00Z, as test_jsonata binds it for $now, $millis and the defaults of $toMillis
// pictures):
//   cd $(mktemp -d) && npm init -y && npm install jsonata@2.0.6
//   NODE_PATH=$PWD/node_modules node /path/to/tools/gen_jsonata_cases.js > cases.txt
// Results: JSON text, "undefined", or "ERR <code>" (JavaScript's own errors, which jsonata-js passes
// through without a code, by name: "ERR TypeError", "ERR RangeError"). NaN results are left out.
process.env.TZ = 'UTC'; /* Date.parse reads a date-time without offset as local time */
const FIXED_NOW = 1767225600000;
const RealDate = Date;
global.Date = class extends RealDate {
  constructor(...a) { if (a.length === 0) super(FIXED_NOW); else super(...a); }
  static now() { return FIXED_NOW; }
};
const jsonata = require('jsonata');

const DOC1 = {"Account": {"Name": "Firefly", "Order": [{"OrderID": "order103", "Product": [{"Name": "Bowler Hat", "ID": 858383, "Price": 34.45, "Quantity": 2, "Tags": ["a", "b"]}, {"Name": "Trilby hat", "ID": 858236, "Price": 21.67, "Quantity": 1, "Tags": ["c"]}]}, {"OrderID": "order104", "Product": [{"Name": "Bowler Hat", "ID": 858383, "Price": 34.45, "Quantity": 4, "Tags": []}, {"Name": "Cloak", "ID": 345664, "Price": 107.99, "Quantity": 1}]}]}, "nums": [1, 5, 3, 9, 2], "strs": ["b", "a", "c"], "nested": [[1, 2], [3, [4, 5]]], "obj": {"x": 1, "y": "two", "z": null, "w": true}, "empty": [], "s": "Hello World", "n": -3.7};

const TRANSFORM = [
  "$ ~> |Account.Order.Product|{'Price': Price * 2}| ~> $lookup('Account') ~> $lookup('Order') ~> $lookup('Product') ~> $lookup('Price')",
  "(Account ~> |Order.Product|{'Total': Price * Quantity}|).Order.Product.Total",
  "Account ~> |Order.Product|{}, 'Tags'|",
  "Account ~> |Order.Product|{}, ['Tags', 'ID', 'Name']|",
  "obj ~> |$|{'x': x + 1, 'v': 'new'}|",
  "obj ~> |$|{'x': 10}, 'w'|",
  "obj ~> |$|{}, ['y', 'z', 'nope']|",
  "obj ~> |$|{'z': 'set'}, 'z'|",
  "obj ~> |$|{}, []|",
  "obj ~> |missing|{'a': 1}|",
  "missing ~> |$|{'a': 1}|",
  "obj ~> |$|{'a': 1}| ~> |$|{'b': a + 1}| ~> |$|{}, 'a'|",
  "$map(Account.Order, |$|{'Count': $count(Product)}, 'Product'|)",
  "($t := |$|{'tagged': true}|; $map([obj, {'q': 1}], $t))",
  "Account.Order.(function($o){ $o ~> |Product[Price > 30]|{'Expensive': true}, 'Tags'| })($).Product",
  "($f := function($x){ $x ~> |**[ID]|{'ID': $string(ID)}| }; $f(Account).Order.Product.ID)",
  "nested ~> |$|{'0': 'zero'}|",
  "{'a': {'b': {'c': 1}}} ~> |a.b|{'c': c + 1, 'd': [1, 2]}|",
  "{'a': {'b': {'c': 1}}} ~> |a|{'b': 'flat'}|",
  "{'a': [{'k': 1}, {'k': 2}, 3]} ~> |a[k > 1]|{'big': true}|",
  "{'items': [{'id': 1}, {'id': 2}]} ~> |items|{'id': id * 10, 'old': id}|",
  "{'a': 1, 'b': 2} ~> |$|$|",
  "{'a': 0.1 + 0.2} ~> |$|{}|",
  "$clone({'a': 0.1 + 0.2, 'b': [1, {'c': 2}]})",
  "[{'a': 1}, {'a': 2}] ~> |$|{'b': a * 2}|",
  "obj ~> |$|5|",
  "obj ~> |$|[{'a': 1}]|",
  "obj ~> |$|null|",
  "obj ~> |$|{}, 5|",
  "obj ~> |$|{}, ['x', 1]|",
  "obj ~> |$|{}, {'x': 1}|",
  "5 ~> |$|{}|",
  "'str' ~> |$|{}|",
  "obj ~> |x|{'a': 1}|",
  "obj ~> |y|{'a': 1}|",
  "obj ~> |z|{'a': 1}|",
  "obj ~> |x|{}|",
  "obj ~> |x|{}, 'a'|",
  "($clone := 5; obj ~> |$|{}|)",
  "($clone := function($v){ {'cloned': true} }; obj ~> |$|{'also': 1}|)",
  "|$|{}|()",
  "|$|{}|(obj, 1)",
  "obj ~> |$|{'a': 1}",
  "obj ~> |$ {'a': 1}|",
  "{'a': {'b': 1}} ~> |(a, a)|{'n': 1}|",
  "{'a': {'b': 1}} ~> |[a, a]|{'n': $count($keys($))}|",
  "{'a': {'b': {'c': 1}}} ~> |**|{}|",
  "{'a': {'b': {'c': 1}}} ~> |a.*|{'seen': true}|",
  "{'a': {'b': {'c': 1}}} ~> |(a, a.b)|{'b': 'gone'}|",
  "{'a': {'b': {'c': 1}}} ~> |(a.b, a)|{'x': $keys($)}|",
  "{'a': {'b': 1}} ~> |{'x': a}|{'b': 2}|",
  "{'a': {'b': 1}} ~> |$merge([a])|{'b': 2}|",
  "{'a': [[1, 2], [3]]} ~> |a|{'0': 9}|",
  "{'a': [[1, 2], [3]]} ~> |$|{}, 'a'| ~> $keys()",
  "$string(obj ~> |$|{'s': 'x'}|)",
  "obj ~> |$|{'w': $$.s}|",
  "{'secret': 'k', 'data': {'secret': 'j', 'v': 1}} ~> |**[secret]|{}, 'secret'|",
  "($o := {'a': {'b': 1}}; $o ~> |a|{'inner': $ ~> |$|{'x': b + 1}|}|)",
  "{'a': {'b': {'c': 1}}} ~> |a|{'m': $ ~> |b|{'d': 2}|}| ~> |a.m.b|{'e': 3}|",
  "($copy := Account.Order[0]; Account ~> |Order|{'n': $count($copy ~> |Product|{'seen': true}|.Product.seen)}|).Order.n",
];

const INTEGER = [
  "$formatInteger(0, '0')", "$formatInteger(7, '000')", "$formatInteger(1234567, '#,##0')",
  "$formatInteger(1234567, '#,###')", "$formatInteger(-1234.9, '#,##0')", "$formatInteger(12.7, '0')",
  "$formatInteger(1234567, '0,00,000')", "$formatInteger(123456789, '#:##0;')", "$formatInteger(12345678, '# ### ##0')",
  "$formatInteger(1234, '00-00')", "$formatInteger(5, '#,#0,00')", "$formatInteger(1234567, '#,##,##0')",
  "$formatInteger(1e21, '0')", "$formatInteger(123, '\u0661\u0662')", "$formatInteger(2026, '\uff10\uff10\uff10\uff10\uff10')",
  "$formatInteger(1, '0;o')", "$formatInteger(2, '0;o')", "$formatInteger(3, '0;o')", "$formatInteger(11, '0;o')",
  "$formatInteger(12, '0;o')", "$formatInteger(13, '0;o')", "$formatInteger(21, '0;o')", "$formatInteger(102, '#,##0;o')",
  "$formatInteger(1111, '#,##0;o')", "$formatInteger(0, 'w')", "$formatInteger(13, 'w')", "$formatInteger(21, 'W')",
  "$formatInteger(99, 'Ww')", "$formatInteger(100, 'w')", "$formatInteger(101, 'w')", "$formatInteger(1234, 'Ww')",
  "$formatInteger(1000000, 'w')", "$formatInteger(1000001, 'w;o')", "$formatInteger(123456789012, 'W')",
  "$formatInteger(2000000000000000, 'w')", "$formatInteger(-15, 'w')", "$formatInteger(12, 'w;o')", "$formatInteger(20, 'w;o')",
  "$formatInteger(100, 'Ww;o')", "$formatInteger(1000, 'w;o')", "$formatInteger(345, 'w;o')", "$formatInteger(0, 'w;o')",
  "$formatInteger(1999, 'I')", "$formatInteger(2024, 'i')", "$formatInteger(4, 'i')", "$formatInteger(0, 'I')",
  "$formatInteger(-9, 'I')", "$formatInteger(1, 'A')", "$formatInteger(26, 'A')", "$formatInteger(27, 'a')",
  "$formatInteger(702, 'A')", "$formatInteger(703, 'a')", "$formatInteger(0, 'a')", "$formatInteger(-3, 'a')",
  "$formatInteger(5, 'a;o')", "$formatInteger(5, '#')", "$formatInteger(5, '')", "$formatInteger(5, 'x')",
  "$formatInteger(5, 'Wx')", "$formatInteger(-5, 'Wx')", "$formatInteger(5, '0\u0661')", "$formatInteger('5', '0')", "$formatInteger(5, 5)",
  "$formatInteger(5)", "$formatInteger(missing, '0')", "nums.$formatInteger('00')", "$formatInteger(n, '0')",
  "$parseInteger('12', '0')", "$parseInteger('1,234,567', '#,##0')", "$parseInteger('12 345', '# ##0')",
  "$parseInteger('12-34', '00-00')", "$parseInteger('0012', '0000')", "$parseInteger('21st', '0;o')",
  "$parseInteger('1,001st', '#,##0;o')", "$parseInteger('\u0661\u0662\u0663', '\u0660\u0660')", "$parseInteger('12abc', '0')",
  "$parseInteger(' 42', '0')", "$parseInteger('-42', '0')", "$parseInteger('one hundred and twenty-three', 'w')",
  "$parseInteger('One Thousand, Two Hundred and Thirty-Four', 'Ww')", "$parseInteger('TWENTY-ONE', 'W')",
  "$parseInteger('twelfth', 'w;o')", "$parseInteger('one million, two hundred thousand and five', 'w')",
  "$parseInteger('mcmxcix', 'i')", "$parseInteger('MMXXVI', 'I')", "$parseInteger('iv', 'I')", "$parseInteger('IV', 'i')",
  "$parseInteger('AB', 'A')", "$parseInteger('zz', 'a')", "$parseInteger('a', 'a')", "$parseInteger('12', '#')",
  "$parseInteger('12', '')", "$parseInteger('1', '0\u0661')", "$parseInteger(12, '0')", "$parseInteger('12')",
  "$parseInteger(missing, '0')", "$parseInteger($formatInteger(987654, 'w'), 'w')",
  "$parseInteger($formatInteger(3999, 'I'), 'I')", "$parseInteger($formatInteger(12345, 'A'), 'A')",
  "[1, 22, 333].$formatInteger($, '0;o')", "$parseInteger('1.234', '#.##0')", "$parseInteger('1|234', '#|##0')",
  "$formatInteger(5, '#,##,0')", "$formatInteger(5, '0,')", "$formatInteger(12345, ',0')",
  "$formatInteger(1234567, '#\u{1F600}##0')", "$formatInteger(1234567, '#,##0.000')", "$parseInteger('1\u{1F600}234', '#\u{1F600}###0.0')",
  "$parseInteger('1', '\u0660')", "$parseInteger('0x1A', '0')", "$parseInteger('\u0131v', 'i')",
  "$length($formatInteger(1e300, 'w'))", "$length($formatInteger(1e300, 'a'))", "$formatInteger(1.5e300, '0')",
  "$formatInteger(-0.5, '0')", "$formatInteger(123, '00;o')", "$formatInteger(113, '#0;ord')",
  "$length($formatInteger(5000000, 'I'))", "$formatInteger(999999999999999, 'w')",
  "$formatInteger(1000000000000, 'w;o')", "$formatInteger(110, 'w')", "$formatInteger(40, 'w;o')",
  "$parseInteger('ONE HUNDRED AND ONE', 'w')", "$parseInteger('two  million', 'w')",
  "$parseInteger('five hundred thousand, three hundred', 'w')", "$parseInteger('hundredth', 'w')",
  "$parseInteger('twenty\\one', 'w')", "$parseInteger('MCM', 'I')", "$parseInteger('MIM', 'I')",
  "$parseInteger('a\u00e9', 'a')", "$parseInteger('\u{1F600}', 'A')", "$parseInteger('007', '0;o')",
  "$parseInteger('1,2,3', '0,0')", "$parseInteger('1 2', '0,0')", "$parseInteger('  +12', '0')",
  "$parseInteger('000000000000000000000000000000000000000000000000000000000000123', '0')",
  "$parseInteger('12345678901234567890', '0')", "$formatInteger(12345678901234567890, '0')",
  "$formatInteger(5, 'i;o')", "$formatInteger(5, 'ww')", "$formatInteger(12, '#,#,#0')",
  "$parseInteger('x', '0') + 1", "1 * $parseInteger('x', '0')", "-$parseInteger('x', '0')",
  "$parseInteger('x', '0') > 1", "$parseInteger('x', '0') >= 1", "$parseInteger('x', '0') <= 1",
  "$parseInteger('x', '0') = $parseInteger('x', '0')", "$type($parseInteger('x', '0'))",
  "$parseInteger('x', '0') ? 1 : 2", "$boolean($parseInteger('x', '0'))", "$exists($parseInteger('x', '0'))",
  "$formatInteger($parseInteger('x', '0'), '000')", "$formatInteger($parseInteger('x', '0'), 'a')",
];

const REGEX = [
  "$match('ab', /a|ab/).match", "$match('<a><b>', /<.+?>/).match", "$match('<a><b>', /<.+>/).match",
  "$match('aaa', /a*?/)", "$match('aaa', /a+?/).match", "$match('aaa', /a{2,3}?/).match",
  "$match('price: 100USD 7EUR', /\\d+(?=USD)/).match", "$replace('foo foobar', /foo(?!bar)/, 'X')",
  "$match('cost $42 or $7', /(?<=\\$)\\d+/).match", "$match('a1 b2 c3', /(?<!b)\\d/).match",
  "$match('aa bb cd', /(\\w)\\1/).match", "$match('b', /(a)?\\1b/)", "$match('abab', /(?:ab)+/).match",
  "$match('2026-11', /(?<y>\\d{4})-(?<m>\\d{2})/).groups", "$match('ab', /(?<x>a)\\k<x>?b/)",
  "$match('a\\nb', /a[^]b/).match", "$contains('a\\nb', /a.b/)", "$contains('a\\rb', /a.b/)",
  "$contains('a\\u2028b', /a.b/)", "$contains('abc\\n', /abc$/)", "$contains('abc\\n', /abc$/m)",
  "$match('a\\nb\\nc', /^\\w$/m).match", "$match('a\\nb', /^b/)", "$contains('\u00c9COLE', /\u00e9cole/i)",
  "$replace('cat concat cat', /\\bcat\\b/, 'dog')", "$match('\u00e9', /\\u00e9/).match",
  "$match('\u0661\u06622', /\\d/).match", "$contains('a\\u00a0b', /a\\sb/)", "$contains('a\\u3000b', /a\\Sb/)",
  "$match('a b\\tc', /\\S+/).match", "$match('x\\u000by', /\\v/).index", "$match('A', /\\A/).match",
  "$match('p{L}', /\\p{L}/).match", "$match('e', /\\e/).match", "$match('aa', /a{,2}/)", "$match('a{,2}', /a{,2}/).match",
  "$match('xyz', /(x)(y)?(z)(w)?/)", "$replace('abc', /(b)(q)?/, '[$2]')", "$replace('abc', /(b)/, '[$0|$1|$2|$$]')",
  "$replace('abcdefghijkl', /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)/, '$11-$10-$1-$12')",
  "$match('abcdefghijkl', /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)/).groups",
  "$replace('aBc', /b/i, 'x')", "$match('abcabc', /(abc)+/).groups", "$contains('aaaaaaaaaaaaaaaaaaab', /(a+)+b/)",
  "$split('a1b22c333', /\\d+/)", "$split('a, b,c', /\\s*,\\s*/)", "$split('abc', /x*/)", "$split('abc', //)",
  "$match('abc', /(?:)/)", "$replace('abc', /x*/, '-')", "$replace('a.b.c', /\\./, '/')",
  "$match('a:', /[[:alpha:]]/)", "$match('[x', /[[]x/).match", "$match('a]', /a]/).match",
  "$match('tab\\there', /[\\s]/).index", "$match('b', /[\\B]/)", "$match('a-b', /[a\\-]+/).match",
  "$match('a', /a++/)", "$match('a', /(?>a)/)", "$match('x', /(?i)x/)", "$match('a', /[b-a]/)",
  "$match('a', /(?P<n>a)/)", "$match('a', /a**/)", "$match('ab', /(a)|b/)",
  "$match('The Quick Brown', /[A-Z]\\w+/).(index & ':' & match)",
  "$replace('2026-11-23', /(\\d+)-(\\d+)-(\\d+)/, function($m){ $m.groups[2] & '/' & $m.groups[1] & '/' & $m.groups[0] })",
  "$match('caf\u00e9 cr\u00e8me', /\\w+/).match", "$match('\u00e9t\u00e9', /./).index",
  "$match('x\u{1F600}y', /y/).index", "$match('\u{1F600}\u{1F600}ab', /b/).index",
];

const T = 1510067557121; /* 2017-11-07T15:12:37.121Z, a Tuesday */
const fm = (p, ms = T, tz) => `$fromMillis(${ms}, '${p}'${tz ? `, '${tz}'` : ''})`;
const DATETIME = [
  `$fromMillis(${T})`, `$fromMillis(0)`, `$fromMillis(-1)`, `$fromMillis(-1.5)`, `$fromMillis(1.7)`,
  fm('[Y0001]-[M01]-[D01]'), fm('[Y]'), fm('[Y01]'), fm('[Y,2]'), fm('[Y,*-2]'), fm('[Y0001,2-2]'), fm('[Y,6]'),
  fm('[YI]'), fm('[Yi]'), fm('[Yw]'), fm('[YW]'), fm('[YWw]'), fm('[Y#,##0]'), fm('[Y0001,*-3]'),
  fm('[M]'), fm('[M01]'), fm('[MNn]'), fm('[MN]'), fm('[Mn]'), fm('[MNn,*-3]'), fm('[MN,3-3]'), fm('[Mn,1-2]'),
  fm('[MNn,5]'), fm('[MI]'), fm('[Mi]'), fm('[MA]'), fm('[Ma]'), fm('[Mw]'), fm('[M1o]'), fm('[Mwo]'), fm('[MWwo]'),
  fm('[D]'), fm('[D01]'), fm('[D1o]'), fm('[Dwo]'), fm('[DWwo]'), fm('[D#1]'), fm('[D,2-2]'), fm('[D001]'), fm('[D1c]'),
  fm('[d]'), fm('[d001]'), fm('[dwo]'), fm('[F]'), fm('[FNn]'), fm('[FN]'), fm('[Fn,*-3]'), fm('[F01]'), fm('[FNn,2-2]'),
  fm('[W]'), fm('[W01]'), fm('[w]'), fm('[X]'), fm('[x]'), fm('[xNn]'), fm('[Wwo]'),
  fm('[Y]-[d] [X]-W[W]-[F] [x]/[w] [xNn]', 1104537600000), fm('[X]-W[W01]-[F] [x]/[w]', 1230681600000),
  fm('[X] [W] [x] [w]', 1293753600000), fm('[X] [W] [x] [w]', 1514678400000), fm('[d] [W]', 951782400000),
  fm('[H]'), fm('[H01]'), fm('[h]'), fm('[h01]'), fm('[P]'), fm('[PN]'), fm('[Pn]'), fm('[PNn]'), fm('[P1]'),
  fm('[h]:[m01] [P]', 1510056000000), fm('[h] [P]', 1510012800000), fm('[H]:[m]:[s]', 1510012800000),
  fm('[m]'), fm('[m01]'), fm('[s]'), fm('[s01]'), fm('[s1o]'), fm('[f]'), fm('[f001]'), fm('[f01]'), fm('[f0001]'),
  fm('[f,3-3]'), fm('[f001]', 1510067557005), fm('[f1]', 1510067557005),
  fm('[Z]'), fm('[z]'), fm('[Z0]'), fm('[Z00]'), fm('[Z000]'), fm('[Z0000]'), fm('[Z00:00t]'), fm('[Z01:01t]'),
  fm('[z01:01]'), fm('[Z00000]'), fm('[ZN]'), fm('[Zi]'),
  fm('[H01]:[m01] [Z] [z] [Z0000] [Z0]', T, '+0530'), fm('[H01]:[m01] [Z] [z] [Z0000] [Z0]', T, '-0530'),
  fm('[H01]:[m01] [Z] [Z0] [Z000]', T, '-0800'), fm('[Y]-[M]-[D] [H01]:[m01] [Z01:01t]', T, '+1245'),
  fm('[H01]:[m01] [Z01:01t]', T, '0000'), fm('[H]:[m]', T, '+05:30'), fm('[Y]-[M]-[D] [H]:[m]', T, 'xyz'),
  fm('[Z]', 0, 'xyz'), `$fromMillis(${T}, undefined, '+0100')`, `$fromMillis(${T}, undefined, '-0930')`,
  fm('[C] [E]'), fm('[CN]'), fm('[E1]'),
  fm('Date: [[[D]]] [[x]] end'), fm('[[[Y]]]'), fm('a]]b[Y]c]'), fm('[ Y 0001 ] [M 0 1]'), fm('[Y\t01]'), fm(''),
  fm('no markers'), fm('[Y]]]'),
  fm('[Q]'), fm('[]'), fm('[Y'), fm('[DN]'), fm('[HN]'), fm('[YNn]'), fm('[Y\u06601]'), fm('[Yb]'), fm('[fN]'),
  fm('[q1]'), fm('[,2]'),
  fm('[MNn]', 1e20), fm('[MN]', 1e20), fm('[FNn,*-3]', 1e20), `$fromMillis(8.64e15)`, `$fromMillis(8.64e15 + 1)`,
  `$fromMillis(-62135596800000)`, `$fromMillis(-62198755200000)`, fm('[Y0001]-[d]-[W]', -62104060800000),
  fm('[Y0001] [d] [W] [X]', -59011459200000), `$fromMillis(253402300799999)`, fm('[Y]', -8.64e15),
  `[1, 2, 3, 11, 12, 13, 21, 22, 23, 31].$fromMillis(1509494400000 + ($ - 1) * 86400000, '[D1o]')`,
  `[1, 2, 3, 4, 5, 6, 7].$fromMillis(1509926400000 + ($ - 1) * 86400000, '[FNn,*-2] [F]')`,
  `$fromMillis('x')`, `5000 ~> $fromMillis('[s]')`, `5000 ~> $fromMillis('[H]:[m]', '+0100')`, `$fromMillis(0, 5)`, `$fromMillis(0, '[Y]', 5)`, `$fromMillis(missing, '[Y]')`,
  `$toMillis('2017-11-07', '[Y0001]-[M01]-[D01]')`, `$toMillis('20171107', '[Y0001][M01][D01]')`,
  `$toMillis('7 November 2017', '[D] [MNn] [Y]')`, `$toMillis('7th November 2017', '[D1o] [MNn] [Y]')`,
  `$toMillis('Tuesday, 7th November 2017', '[FNn], [D1o] [MNn] [Y]')`,
  `$toMillis('11/7/2017 3:12 pm', '[M]/[D]/[Y] [h]:[m] [P]')`, `$toMillis('11/7/2017 12:05 am', '[M]/[D]/[Y] [h]:[m] [P]')`,
  `$toMillis('11/7/2017 12:05 PM', '[M]/[D]/[Y] [h]:[m] [P]')`, `$toMillis('2017-311', '[Y]-[d]')`,
  `$toMillis('2017-311 10:00', '[Y]-[d] [H]:[m]')`, `$toMillis('15:12', '[H]:[m]')`, `$toMillis('12 15', '[M] [D]')`,
  `$toMillis('2017 15', '[Y] [H]')`, `$toMillis('2017-W45-2', '[X]-W[W]-[F]')`, `$toMillis('2017-11-2', '[X]-[x]-[w]')`,
  `$toMillis('MMXVII', '[YI]')`, `$toMillis('mmxvii', '[YI]')`, `$toMillis('two thousand and seventeen', '[Yw]')`,
  `$toMillis('seventeen', '[Dw]')`, `$toMillis('AB', '[DA]')`,
  `$toMillis('2017-11-07T15:12:37+05:30', '[Y]-[M]-[D]T[H]:[m]:[s][Z]')`,
  `$toMillis('2017-11-07T15:12:37-05:30', '[Y]-[M]-[D]T[H]:[m]:[s][Z]')`,
  `$toMillis('2017-11-07T15:12:37+0530', '[Y]-[M]-[D]T[H]:[m]:[s][Z0000]')`,
  `$toMillis('2017-11-07T15:12:37-0800', '[Y]-[M]-[D]T[H]:[m]:[s][Z0000]')`,
  `$toMillis('2017-11-07T15:12:37+05', '[Y]-[M]-[D]T[H]:[m]:[s][Z0]')`,
  `$toMillis('2017-11-07 15:12 GMT+01:00', '[Y]-[M]-[D] [H]:[m] [z]')`,
  `$toMillis('2017-11-07 15:12 gmt-02:00', '[Y]-[M]-[D] [H]:[m] [z]')`,
  `$toMillis('nonsense', '[Y]')`, `$toMillis('2017', '[Y]')`, `$toMillis('JANUARY 5', '[MNn] [D]')`,
  `$toMillis('Nov 7 2017', '[MNn,*-3] [D] [Y]')`, `$toMillis('Tu 7 Nov', '[FNn,*-2] [D] [MNn,*-3]')`,
  `$toMillis('2017-11-07', '[Y]-[MN]-[D]')`, `$toMillis('2017-11-07', '[Y]-[M]-[DN]')`, `$toMillis('x', '[Yb]')`,
  `$toMillis('2017-11-07', '[Y]-[M]-[D')`, `$toMillis('99-11-07', '[Y]-[M]-[D]')`, `$toMillis('2017-11-07 AD', '[Y]-[M]-[D] [E]')`,
  `$toMillis('2017-11-07 15.12', '[Y]-[M]-[D] [H].[m]')`, `$toMillis('2017-11-07T15:12:37.5', '[Y]-[M]-[D]T[H]:[m]:[s].[f]')`,
  `$toMillis('2017-13-07', '[Y]-[M]-[D]')`, `$toMillis('0:30 am', '[h]:[m] [P]')`, `$toMillis('12:30 pm', '[h]:[m] [P]')`,
  `$toMillis('[2017]', '[[[Y]]]')`, `$toMillis('2017-11-07', '[Y]-[M01]-[D01]')`, `$toMillis('2017117', '[Y0001][M#1][D01]')`,
  `$toMillis('17-11-07', '[Y01]-[M]-[D]')`, `$toMillis('2017-11-07', '[Y\u0660\u0660\u0660\u0660]-[M]-[D]')`,
  `$toMillis('2017-1-7', '[Y]-[M]-[D]')`, `$toMillis('2017-11-07', '')`, `$toMillis('T', 'T')`,
  `$toMillis('2017 - 11', '[Y] - [M]')`, `$toMillis('2017-11-07 3 pm', '[Y]-[M]-[D] [h] [P]')`,
  `$toMillis(5)`, `$toMillis('2017', 5)`, `$toMillis(missing, '[Y]')`,
  ...['[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]', '[D1o] [MNn] [Y] [h]:[m01]:[s01].[f001] [PN]',
      '[FNn], [D] [MN,*-3] [Y] [H]:[m]:[s].[f] [z]', '[Y0001][M01][D01][H01][m01][s01][f001][Z0000]',
      '[YI]-[M]-[D] [H]:[m]', '[Yw] [Mwo] [D]']
    .flatMap(p => [T, 1767225600000, 951782400000].map(x => `$toMillis($fromMillis(${x}, '${p}'), '${p}') = ${x}`)),
  `$toMillis($fromMillis(${T}, '[Y]-[M]-[D] [H]:[m]:[s].[f] [Z]', '+0530'), '[Y]-[M]-[D] [H]:[m]:[s].[f] [Z]')`,
  `$toMillis($fromMillis(${T}, '[Y]-[M]-[D] [H]:[m]:[s].[f] [Z]', '-0530'), '[Y]-[M]-[D] [H]:[m]:[s].[f] [Z]')`,
  ...['2017-11-07T15:12:37.121Z', '2017-11-07T15:12:37', '2017', '2017-11', '2017-11-07', '2017.5', '2017-11.05',
      '2017.13', '2017-02-30', '2017-11-07T24:00:00', '2017-11-07T24:00:01', '2017-11-07T10:00:00+0100',
      '2017-11-07T10:00:00-05:30', '2017-11-07T10:00:00.123456', '2017-11-07Z', '2017-11-07+01:00', '2017-19-01',
      '2017T10:00:00Z', '0000-01-01', '2017-11-07-08', '2017-11-07T10:00:00+24:00', '0099-11-29Z', '0049.5',
      '1999-09.5-05:30', '2016-0800']
    .map(x => `($t := $toMillis('${x}'); $t = $t ? $t : 'NaN')`),
  `$toMillis('2017-1')`, `$toMillis('2017-11-07T10:00')`, `$toMillis('yesterday')`, `$toMillis('2017-11-07T10:00:00+01')`,
  `$now()`, `$now('[Y0001]-[M01]-[D01] [H01]:[m01]')`, `$now('[FNn] [D1o] [MNn]', '-0500')`, `$now(undefined, '+0100')`,
  `$now('[Y]', 'x')`, `$now(5)`, `$millis()`, `$toMillis($now()) = $millis()`, `$toMillis('10:30', '[H]:[m]') - $millis()`,
];

function show(v) {
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (k, x) => (x && typeof x === 'object' && x._jsonata_function) ? undefined : x);
}
function cstr(s) {
  let o = '"', hex = false;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (hex && /[0-9a-fA-F]/.test(ch)) o += '""';
    hex = false;
    if (ch === '"' || ch === '\\') o += '\\' + ch;
    else if (ch === '?') o += '\\?';
    else if (c < 0x20 || c > 0x7e) {
      o += Buffer.from(ch).toString('hex').replace(/../g, '\\x$&');
      hex = true;
    } else o += ch;
  }
  return o + '"';
}
(async () => {
  for (const [name, list] of [['CASES_TRANSFORM', TRANSFORM], ['CASES_INTEGER', INTEGER], ['CASES_REGEX', REGEX], ['CASES_DATETIME', DATETIME]]) {
    console.log(`static const jcase_t ${name}[] = {`);
    for (const expr of list) {
      let want;
      try {
        const r = await jsonata(expr).evaluate(JSON.parse(JSON.stringify(DOC1)));
        want = typeof r === 'number' && isNaN(r) ? null : show(r);
        if (want === null) continue; /* NaN has no JSON spelling: test_jsonata checks it by hand */
      } catch (e) {
        want = 'ERR ' + (e.code || e.name); /* JavaScript's own TypeError / RangeError */
      }
      console.log(`    {${cstr(expr)}, ${cstr(want)}},`);
    }
    console.log('};');
  }
})();
