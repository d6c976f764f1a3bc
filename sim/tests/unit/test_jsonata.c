/*
 * test_jsonata.c — the JSONata evaluator (sim/asl/jsonata.c): 1024 expression -> result cases
 * whose expected values were produced by the reference implementation (jsonata-js 2.0.6) on the
 * same documents (the transform, integer-picture and date/time tables by tools/gen_jsonata_cases.js,
 * the clock fixed at TEST_EPOCH_MS), then the Step Functions extension functions, variable bindings,
 * the virtual clock, error codes and the bounds that keep hostile expressions from exhausting the
 * process.
 */
#include <math.h>
#include <stdio.h>

#include "asl/jsonata.h"
#include "testutil.h"

typedef struct {
    const char *expr;
    const char *want; /* JSON text, "undefined", or "ERR <code>" */
} jcase_t;

/* Generated with jsonata-js 2.0.6: for each case, jsonata(expr).evaluate(JSON.parse(DOCn)). */
static const char *DOC1 =
    "{\"Account\": {\"Name\": \"Firefly\", \"Order\": [{\"OrderID\": \"order103\", \"Product\": [{\"Name\": "
    "\"Bowler Hat\", \"ID\": 858383, \"Price\": 34.45, \"Quantity\": 2, \"Tags\": [\"a\", \"b\"]}, "
    "{\"Name\": \"Trilby hat\", \"ID\": 858236, \"Price\": 21.67, \"Quantity\": 1, \"Tags\": [\"c\"]}]}, "
    "{\"OrderID\": \"order104\", \"Product\": [{\"Name\": \"Bowler Hat\", \"ID\": 858383, \"Price\": 34.45, "
    "\"Quantity\": 4, \"Tags\": []}, {\"Name\": \"Cloak\", \"ID\": 345664, \"Price\": 107.99, \"Quantity\": "
    "1}]}]}, \"nums\": [1, 5, 3, 9, 2], \"strs\": [\"b\", \"a\", \"c\"], \"nested\": [[1, 2], [3, [4, 5]]], "
    "\"obj\": {\"x\": 1, \"y\": \"two\", \"z\": null, \"w\": true}, \"empty\": [], \"s\": \"Hello World\", "
    "\"n\": -3.7}";
static const jcase_t CASES1[] = {
    {"Account.Name", "\"Firefly\""},
    {"Account.Order.OrderID", "[\"order103\",\"order104\"]"},
    {"Account.Order[0].OrderID", "\"order103\""},
    {"Account.Order[-1].OrderID", "\"order104\""},
    {"Account.Order.Product.Name", "[\"Bowler Hat\",\"Trilby hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.Product[0].Name", "[\"Bowler Hat\",\"Bowler Hat\"]"},
    {"Account.Order.Product.Price", "[34.45,21.67,34.45,107.99]"},
    {"Account.Order.Product[Price > 30].Name", "[\"Bowler Hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.Product[Quantity = 1]",
     "[{\"Name\":\"Trilby "
     "hat\",\"ID\":858236,\"Price\":21.67,\"Quantity\":1,\"Tags\":[\"c\"]},{\"Name\":\"Cloak\",\"ID\":345664,"
     "\"Price\":107.99,\"Quantity\":1}]"},
    {"Account.Order[0].Product[1]",
     "{\"Name\":\"Trilby hat\",\"ID\":858236,\"Price\":21.67,\"Quantity\":1,\"Tags\":[\"c\"]}"},
    {"Account.Order.Product.Tags", "[\"a\",\"b\",\"c\"]"},
    {"Account.Order.Product.Tags[0]", "[\"a\",\"c\"]"},
    {"Account.Order.Product[Tags = 'c'].Name", "undefined"},
    {"$sum(Account.Order.Product.(Price * Quantity))", "336.36"},
    {"$count(Account.Order.Product)", "4"},
    {"Account.Order.Product{Name: Price}",
     "{\"Bowler Hat\":[34.45,34.45],\"Trilby hat\":21.67,\"Cloak\":107.99}"},
    {"Account.Order.Product{Name: $sum(Quantity)}", "{\"Bowler Hat\":6,\"Trilby hat\":1,\"Cloak\":1}"},
    {"{\"name\": Account.Name, \"count\": $count(Account.Order)}", "{\"name\":\"Firefly\",\"count\":2}"},
    {"nums[2]", "3"},
    {"nums[[0,2]]", "[1,3]"},
    {"nums[$ > 2]", "[5,3,9]"},
    {"nums[-1]", "2"},
    {"nums[0..2]", "ERR S0202"},
    {"[1..5]", "[1,2,3,4,5]"},
    {"[1..5][$ % 2 = 0]", "[2,4]"},
    {"[5..1]", "[]"},
    {"nested", "[[1,2],[3,[4,5]]]"},
    {"nested[0]", "[1,2]"},
    {"nested[1][1]", "[4,5]"},
    {"nested.$", "[1,2,3,[4,5]]"},
    {"obj.*", "[1,\"two\",null,true]"},
    {"*.x", "1"},
    {"**.Name", "[\"Firefly\",\"Bowler Hat\",\"Trilby hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"$keys(obj)", "[\"x\",\"y\",\"z\",\"w\"]"},
    {"$keys(Account.Order.Product)", "[\"Name\",\"ID\",\"Price\",\"Quantity\",\"Tags\"]"},
    {"$lookup(obj, \"y\")", "\"two\""},
    {"$spread(obj)", "[{\"x\":1},{\"y\":\"two\"},{\"z\":null},{\"w\":true}]"},
    {"$merge([{\"a\":1},{\"b\":2},{\"a\":3}])", "{\"a\":3,\"b\":2}"},
    {"$each(obj, function($v, $k){ $k & \"=\" & $string($v) })", "[\"x=1\",\"y=two\",\"z=null\",\"w=true\"]"},
    {"$sift(obj, function($v){ $type($v) = \"number\" })", "{\"x\":1}"},
    {"$type(obj.z)", "\"null\""},
    {"$type(nums)", "\"array\""},
    {"$type(s)", "\"string\""},
    {"$type(missing)", "undefined"},
    {"1 + 2 * 3", "7"},
    {"(1 + 2) * 3", "9"},
    {"10 / 4", "2.5"},
    {"10 % 3", "1"},
    {"-5 % 3", "-2"},
    {"2 * -n", "7.4"},
    {"1 / 3", "0.3333333333333333"},
    {"\"a\" & 1 & true & null", "\"a1truenull\""},
    {"\"x\" & missing", "\"x\""},
    {"s & \" \" & nums", "\"Hello World [1,5,3,9,2]\""},
    {"1 = 1", "true"},
    {"\"a\" = \"a\"", "true"},
    {"[1,2] = [1,2]", "true"},
    {"{\"a\":1} = {\"a\":1}", "true"},
    {"1 != 2", "true"},
    {"missing = 1", "false"},
    {"missing != 1", "false"},
    {"1 < 2", "true"},
    {"\"a\" < \"b\"", "true"},
    {"1 < \"a\"", "ERR T2009"},
    {"3 in nums", "true"},
    {"\"z\" in strs", "false"},
    {"\"b\" in \"b\"", "true"},
    {"true and false", "false"},
    {"true or missing", "true"},
    {"nums and s", "true"},
    {"1 > 2 \? \"yes\" : \"no\"", "\"no\""},
    {"missing \? 1 : 2", "2"},
    {"1 > 2 \? \"yes\"", "undefined"},
    {"($x := 5; $y := $x * 2; $x + $y)", "15"},
    {"($f := function($a){ $a * 2 }; $f(21))", "42"},
    {"($fact := function($n){ $n <= 1 \? 1 : $n * $fact($n - 1) }; $fact(10))", "3628800"},
    {"($fib := function($n){ $n < 2 \? $n : $fib($n-1) + $fib($n-2) }; $fib(15))", "610"},
    {"$map(nums, function($v){ $v * 10 })", "[10,50,30,90,20]"},
    {"$map(nums, function($v, $i){ $v * $i })", "[0,5,6,27,8]"},
    {"$filter(nums, function($v){ $v > 2 })", "[5,3,9]"},
    {"$reduce(nums, function($a, $b){ $a + $b })", "20"},
    {"$reduce(nums, function($a, $b){ $a + $b }, 100)", "120"},
    {"$sort(nums)", "[1,2,3,5,9]"},
    {"$sort(strs)", "[\"a\",\"b\",\"c\"]"},
    {"$sort(Account.Order.Product, function($a, $b){ $a.Price > $b.Price }).Name",
     "[\"Trilby hat\",\"Bowler Hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"$reverse(nums)", "[2,9,3,5,1]"},
    {"$distinct([1,2,2,3,1,\"a\",\"a\"])", "[1,2,3,\"a\"]"},
    {"$append([1,2],[3])", "[1,2,3]"},
    {"$append(1, [2,3])", "[1,2,3]"},
    {"$append(missing, 1)", "1"},
    {"$zip([1,2,3],[\"a\",\"b\"])", "[[1,\"a\"],[2,\"b\"]]"},
    {"$count(nums)", "5"},
    {"$count(missing)", "0"},
    {"$max(nums)", "9"},
    {"$min(nums)", "1"},
    {"$average(nums)", "4"},
    {"$sum([])", "0"},
    {"$max([])", "undefined"},
    {"$string(123)", "\"123\""},
    {"$string(1/3)", "\"0.333333333333333\""},
    {"$string(obj)", "\"{\\\"x\\\":1,\\\"y\\\":\\\"two\\\",\\\"z\\\":null,\\\"w\\\":true}\""},
    {"$string(nums)", "\"[1,5,3,9,2]\""},
    {"$string(\"x\")", "\"x\""},
    {"$string(true)", "\"true\""},
    {"$string(1e21)", "\"1e+21\""},
    {"$string(1e-7)", "\"1e-7\""},
    {"$string(123456789012345678)", "\"123456789012346000\""},
    {"$length(s)", "11"},
    {"$length(\"h\303\251llo\")", "5"},
    {"$substring(s, 3)", "\"lo World\""},
    {"$substring(s, 3, 4)", "\"lo W\""},
    {"$substring(s, -5)", "\"World\""},
    {"$substring(s, -5, 2)", "\"Wo\""},
    {"$substring(s, 0, -1)", "\"\""},
    {"$substringBefore(s, \" \")", "\"Hello\""},
    {"$substringAfter(s, \" \")", "\"World\""},
    {"$substringAfter(s, \"zz\")", "\"Hello World\""},
    {"$uppercase(s)", "\"HELLO WORLD\""},
    {"$lowercase(s)", "\"hello world\""},
    {"$trim(\"  a   b  c \")", "\"a b c\""},
    {"$pad(\"x\", 5)", "\"x    \""},
    {"$pad(\"x\", -5, \"#\")", "\"####x\""},
    {"$pad(\"abc\", 2)", "\"abc\""},
    {"$contains(s, \"World\")", "true"},
    {"$contains(s, \"world\")", "false"},
    {"$split(\"a,b,c\", \",\")", "[\"a\",\"b\",\"c\"]"},
    {"$split(\"a,b,c\", \",\", 2)", "[\"a\",\"b\"]"},
    {"$split(\"abc\", \"\")", "[\"a\",\"b\",\"c\"]"},
    {"$join(strs, \"-\")", "\"b-a-c\""},
    {"$join(strs)", "\"bac\""},
    {"$replace(s, \"o\", \"0\")", "\"Hell0 W0rld\""},
    {"$replace(s, \"o\", \"0\", 1)", "\"Hell0 World\""},
    {"$number(\"42\")", "42"},
    {"$number(\"4.5e2\")", "450"},
    {"$number(true)", "1"},
    {"$number(\"abc\")", "ERR D3030"},
    {"$number(\"0x1F\")", "31"},
    {"$abs(n)", "3.7"},
    {"$floor(n)", "-4"},
    {"$ceil(n)", "-3"},
    {"$round(2.5)", "2"},
    {"$round(3.5)", "4"},
    {"$round(-2.5)", "-2"},
    {"$round(1.2345, 2)", "1.23"},
    {"$round(1.255, 2)", "1.26"},
    {"$round(12345, -2)", "12300"},
    {"$power(2, 10)", "1024"},
    {"$power(2, 0.5)", "1.4142135623730951"},
    {"$sqrt(16)", "4"},
    {"$sqrt(-1)", "ERR D3060"},
    {"$boolean(0)", "false"},
    {"$boolean(\"\")", "false"},
    {"$boolean([])", "false"},
    {"$boolean([0])", "false"},
    {"$boolean([0, 1])", "true"},
    {"$boolean({})", "false"},
    {"$boolean(obj)", "true"},
    {"$not(true)", "false"},
    {"$exists(missing)", "false"},
    {"$exists(obj.z)", "true"},
    {"$formatNumber(1234.5678, \"#,##0.00\")", "\"1,234.57\""},
    {"$formatNumber(0.5, \"0%\")", "\"50%\""},
    {"$formatNumber(3, \"000\")", "\"003\""},
    {"$formatNumber(1234567.891, \"#,###.#\")", "\"1,234,567.9\""},
    {"$formatBase(255, 16)", "\"ff\""},
    {"$formatBase(10, 2)", "\"1010\""},
    {"$fromMillis(1510067557121)", "\"2017-11-07T15:12:37.121Z\""},
    {"$fromMillis(0)", "\"1970-01-01T00:00:00.000Z\""},
    {"$toMillis(\"2017-11-07T15:12:37.121Z\")", "1510067557121"},
    {"$toMillis(\"2017-11-07\")", "1510012800000"},
    {"$toMillis(\"2017-11-07T15:12:37+01:00\")", "1510063957000"},
    {"$toMillis(\"bad\")", "ERR D3110"},
    {"$fromMillis(1510067557121, \"[Y0001]-[M01]-[D01]\")", "\"2017-11-07\""},
    {"$fromMillis(1510067557121, \"[H01]:[m01]:[s01].[f001]\")", "\"15:12:37.121\""},
    {"$fromMillis(1510067557121, \"[D01]/[M01]/[Y0001] [h]:[m01] [P]\")", "\"07/11/2017 3:12 pm\""},
    {"Account.Order.Product.$uppercase(Name)", "[\"BOWLER HAT\",\"TRILBY HAT\",\"BOWLER HAT\",\"CLOAK\"]"},
    {"Account.Order.Product.Name.$uppercase()", "[\"BOWLER HAT\",\"TRILBY HAT\",\"BOWLER HAT\",\"CLOAK\"]"},
    {"Account.Name ~> $uppercase()", "\"FIREFLY\""},
    {"Account.Name ~> $substring(0, 3)", "\"Fir\""},
    {"nums ~> $sum()", "20"},
    {"s ~> $split(\" \") ~> $join(\"_\")", "\"Hello_World\""},
    {"$match(\"abc123def45\", /[0-9]+/)",
     "[{\"match\":\"123\",\"index\":3,\"groups\":[]},{\"match\":\"45\",\"index\":9,\"groups\":[]}]"},
    {"$match(\"abc\", /[0-9]+/)", "undefined"},
    {"$replace(\"abc123def45\", /[0-9]+/, \"#\")", "\"abc#def#\""},
    {"$replace(\"John Smith\", /(\\w+)\\s(\\w+)/, \"$2, $1\")", "\"Smith, John\""},
    {"$split(\"a1b22c\", /[0-9]+/)", "[\"a\",\"b\",\"c\"]"},
    {"$contains(\"abc\", /B/i)", "true"},
    {"Account.Order.Product[$contains(Name, /hat/i)].ID", "[858383,858236,858383]"},
    {"nums^(>$)", "[9,5,3,2,1]"},
    {"Account.Order.Product^(Price).Name", "[\"Trilby hat\",\"Bowler Hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.Product^(>Price, Name).Name", "[\"Cloak\",\"Bowler Hat\",\"Bowler Hat\",\"Trilby hat\"]"},
    {"[nums, strs]", "[1,5,3,9,2,\"b\",\"a\",\"c\"]"},
    {"[nums]", "[1,5,3,9,2]"},
    {"[[1,2]]", "[[1,2]]"},
    {"[1, [2, 3], [[4]]]", "[1,[2,3],[[4]]]"},
    {"{\"a\": [1,2,3]}.a", "[1,2,3]"},
    {"{\"a\": missing}", "{}"},
    {"{}", "{}"},
    {"[]", "[]"},
    {"Account.Order.Product[0][0]",
     "[{\"Name\":\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":2,\"Tags\":[\"a\",\"b\"]},{\"Name\":\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":4,\"Tags\":[]}]"},
    {"Account.Order.Product.Name[]", "[\"Bowler Hat\",\"Trilby hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Name[]", "[\"Firefly\"]"},
    {"empty", "[]"},
    {"empty[0]", "undefined"},
    {"$[0]",
     "{\"Account\":{\"Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Name\":"
     "\"Bowler Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":2,\"Tags\":[\"a\",\"b\"]},{\"Name\":\"Trilby "
     "hat\",\"ID\":858236,\"Price\":21.67,\"Quantity\":1,\"Tags\":[\"c\"]}]},{\"OrderID\":\"order104\","
     "\"Product\":[{\"Name\":\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":4,\"Tags\":[]},{\"Name\":\"Cloak\",\"ID\":345664,"
     "\"Price\":107.99,\"Quantity\":1}]}]},\"nums\":[1,5,3,9,2],\"strs\":[\"b\",\"a\",\"c\"],\"nested\":[[1,"
     "2],[3,[4,5]]],\"obj\":{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true},\"empty\":[],\"s\":\"Hello "
     "World\",\"n\":-3.7}"},
    {"$.s", "\"Hello World\""},
    {"$$.s", "\"Hello World\""},
    {"s.$length($)", "11"},
    {"$notAFunc(1)", "ERR T1006"},
    {"foo(1)", "ERR T1006"},
    {"1 +", "ERR S0207"},
    {"[1, 2", "ERR S0203"},
    {"\"unterminated", "ERR S0101"},
    {"$x := 1", "1"},
    {"1 + \"a\"", "ERR T2002"},
    {"\"a\" + 1", "ERR T2001"},
    {"-\"a\"", "ERR D1002"},
    {"Account.(Name & \"!\")", "\"Firefly!\""},
    {"Account.Order.(OrderID & \":\" & $count(Product))", "[\"order103:2\",\"order104:2\"]"},
    {"Account.Order.Product.{\"n\": Name, \"t\": Price * Quantity}",
     "[{\"n\":\"Bowler Hat\",\"t\":68.9},{\"n\":\"Trilby hat\",\"t\":21.67},{\"n\":\"Bowler "
     "Hat\",\"t\":137.8},{\"n\":\"Cloak\",\"t\":107.99}]"},
    {"Account.Order.[OrderID]", "[[\"order103\"],[\"order104\"]]"},
    {"Account.Order.Product.[Name, Price]",
     "[[\"Bowler Hat\",34.45],[\"Trilby hat\",21.67],[\"Bowler Hat\",34.45],[\"Cloak\",107.99]]"},
    {"$single(nums, function($v){ $v = 9 })", "9"},
    {"$single(nums, function($v){ $v > 1 })", "ERR D3138"},
    {"$single([1])", "1"},
    {"$each({\"a\":1}, function($v, $k){ {$k: $v} })", "{\"a\":1}"},
    {"$error(\"boom\")", "ERR D3137"},
    {"$assert(1 = 2, \"nope\")", "ERR D3141"},
    {"$sum(strs)", "ERR T0412"},
    {"$uppercase(1)", "ERR T0410"},
    {"$substring()", "ERR T0410"},
    {"$exists(1, 2)", "ERR T0410"},
    {"$shuffle([1])", "[1]"},
    {"$reduce([1..100], function($a,$b){$a+$b})", "5050"},
    {"nums[$ > 100]", "undefined"},
    {"nums[$ > 100][0]", "undefined"},
    {"obj.w", "true"},
    {"obj.z", "null"},
    {"$not(obj.z)", "true"},
    {"[1,2,3][1..2]", "ERR S0202"},
    {"[1,2,3].($ * 2)", "[2,4,6]"},
    {"[{\"a\":1},{\"a\":2}].a", "[1,2]"},
    {"[{\"a\":[1,2]},{\"a\":[3]}].a", "[1,2,3]"},
    {"[{\"a\":[1,2]},{\"a\":[3]}].a[0]", "[1,3]"},
    {"[{\"a\":[[1,2]]},{\"a\":[3]}].a", "[[1,2],3]"},
    {"{\"a\":[[1,2]]}.a", "[[1,2]]"},
    {"{\"a\":[[1,2]]}.a[0]", "[1,2]"},
    {"$string({\"a\": 1.0000000000000002})", "\"{\\\"a\\\":1}\""},
    {"$string(0.1+0.2)", "\"0.3\""},
    {"100000000000000000000000", "1e+23"},
    {"$string(100000000000000000000000)", "\"1e+23\""},
    {"$string([1, \"a\", {\"b\": null}], true)",
     "\"[\\n  1,\\n  \\\"a\\\",\\n  {\\n    \\\"b\\\": null\\n  }\\n]\""},
    {"$encodeUrlComponent(\"a b&c=d/\303\251\")", "\"a%20b%26c%3Dd%2F%C3%A9\""},
    {"$encodeUrl(\"https://x.com/a b\?q=\303\251\")", "\"https://x.com/a%20b\?q=%C3%A9\""},
    {"$decodeUrlComponent(\"a%20b\")", "\"a b\""},
    {"$base64encode(\"hello:world\")", "\"aGVsbG86d29ybGQ=\""},
    {"$base64decode(\"aGVsbG86d29ybGQ=\")", "\"hello:world\""},
    {"($a := [1,2,3]; $a[1])", "2"},
    {"($o := {\"k\": [1,2]}; $o.k[1])", "2"},
    {"($o := {\"k\": [1,2]}; $o.k)", "[1,2]"},
    {"$map([1,2,3], $string)", "[\"1\",\"2\",\"3\"]"},
    {"$filter(Account.Order.Product, function($p){ $p.Price > 30 }).Name",
     "[\"Bowler Hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"$count(Account.Order.Product[Price > 30])", "3"},
    {"Account.Order.Product[Price > 30 and Quantity > 1].Name", "[\"Bowler Hat\",\"Bowler Hat\"]"},
    {"(  ) ", "undefined"},
    {"$f := 1", "1"},
    {"true \? (1; 2) : 3", "2"},
    {"\"a\\\"b\\u00e9\\n\"", "\"a\\\"b\303\251\\n\""},
    {"'it''s'", "ERR S0201"},
    {"`Account`.Name", "\"Firefly\""},
    {"Account.`Order`[0].OrderID", "\"order103\""},
    {"$append([1], [[2]])", "[1,[2]]"},
    {"$count([[1,2],[3]])", "2"},
    {"$average([])", "undefined"},
    {"$sum(5)", "5"},
};
static const char *DOC2 =
    "{\"states\": {\"input\": {\"a\": 1, \"items\": [{\"id\": 1, \"v\": \"x\"}, {\"id\": 2, \"v\": "
    "\"y\"}]}}, \"arr\": [{\"k\": \"a\", \"v\": 1}, {\"k\": \"b\", \"v\": 2}, {\"k\": \"a\", \"v\": 3}], "
    "\"m\": [[1, 2, 3], [4, 5]], \"deep\": {\"a\": {\"b\": {\"c\": [{\"d\": 1}, {\"d\": [2, 3]}]}}}}";
static const jcase_t CASES2[] = {
    {"arr{k: v}", "{\"a\":[1,3],\"b\":2}"},
    {"arr{k: $sum(v)}", "{\"a\":4,\"b\":2}"},
    {"arr{k: $count(v)}", "{\"a\":2,\"b\":1}"},
    {"arr.{k: v}", "[{\"a\":1},{\"b\":2},{\"a\":3}]"},
    {"arr[k='a'].v", "[1,3]"},
    {"arr[k='a'][1].v", "3"},
    {"arr[1:2]", "ERR S0202"},
    {"m[0]", "[1,2,3]"},
    {"m.$", "[1,2,3,4,5]"},
    {"m[1][0]", "4"},
    {"m.$[0]", "[1,4]"},
    {"$count(m)", "2"},
    {"deep.a.b.c.d", "[1,2,3]"},
    {"deep.a.b.c[1].d[0]", "2"},
    {"deep.**.d", "[1,2,3]"},
    {"deep.a.*.c", "[{\"d\":1},{\"d\":[2,3]}]"},
    {"states.input.items[id=2].v", "\"y\""},
    {"states.input.items.id", "[1,2]"},
    {"($s := states; $s.input.items[0].v)", "\"x\""},
    {"($s := states.input.items; $s[1])", "{\"id\":2,\"v\":\"y\"}"},
    {"($s := states.input.items; $s.v)", "[\"x\",\"y\"]"},
    {"($s := states.input.items; $s[v='x'].id)", "1"},
    {"($x := [1,2,3]; $x[$ > 1])", "[2,3]"},
    {"($x := {\"a\":{\"b\":5}}; $x.a.b)", "5"},
    {"($x := 1; ($x := 2); $x)", "1"},
    {"($x := 1; $f := function(){ $x }; $x := 5; $f())", "5"},
    {"($add := function($a){ function($b){ $a + $b } }; $add(3)(4))", "7"},
    {"($g := function($f, $v){ $f($v) }; $g($uppercase, \"hi\"))", "\"HI\""},
    {"$map([1,2,3], function($v, $i, $a){ $count($a) })", "[3,3,3]"},
    {"($inc := $map(\?, function($v){$v+1}); $inc([1,2]))", "[2,3]"},
    {"($s := $substring(\?, 1, 2); $s(\"hello\"))", "\"el\""},
    {"arr.k", "[\"a\",\"b\",\"a\"]"},
    {"arr.k[0]", "[\"a\",\"b\",\"a\"]"},
    {"(arr.k)[0]", "\"a\""},
    {"arr[0].k", "\"a\""},
    {"$distinct(arr.k)", "[\"a\",\"b\"]"},
    {"$keys(arr)", "[\"k\",\"v\"]"},
    {"$sum(arr.v) / $count(arr)", "2"},
    {"$string(arr[0])", "\"{\\\"k\\\":\\\"a\\\",\\\"v\\\":1}\""},
    {"$merge(arr)", "{\"k\":\"a\",\"v\":3}"},
    {"$spread(arr[0])", "[{\"k\":\"a\"},{\"v\":1}]"},
    {"\"k\" in $keys(arr[0])", "true"},
    {"arr[v > 1 and k = 'a']", "{\"k\":\"a\",\"v\":3}"},
    {"arr[v > 1 or k = 'b'].v", "[2,3]"},
    {"arr[$not(k = 'a')].v", "2"},
    {"$exists(arr[k='z'])", "false"},
    {"arr[k='z'].v", "undefined"},
    {"$count(arr[k='z'])", "0"},
    {"[arr.v]", "[1,2,3]"},
    {"[arr.v][0]", "1"},
    {"arr.v[]", "[1,2,3]"},
    {"arr[0].v[]", "[1]"},
    {"$append(arr.v, 4)", "[1,2,3,4]"},
    {"$filter(arr, function($x){$x.v > 1}).k", "[\"b\",\"a\"]"},
    {"$reduce(arr.v, function($p, $c){ $p * $c })", "6"},
    {"$each({\"a\":1,\"b\":2}, function($v, $k){ $k })", "[\"a\",\"b\"]"},
    {"$lookup(arr, \"k\")", "[\"a\",\"b\",\"a\"]"},
    {"$sort(arr, function($l, $r){ $l.v < $r.v }).v", "[3,2,1]"},
    {"arr^(>v).v", "[3,2,1]"},
    {"arr^(k, >v).v", "[3,1,2]"},
    {"$zip(arr.k, arr.v)", "[[\"a\",1],[\"b\",2],[\"a\",3]]"},
    {"$join(arr.k, \",\")", "\"a,b,a\""},
    {"$replace(\"aaa\", \"a\", \"b\", 2)", "\"bba\""},
    {"$replace(\"abc\", /b/, function($m){ $uppercase($m.match) })", "\"aBc\""},
    {"$split(\"one  two\", \" \")", "[\"one\",\"\",\"two\"]"},
    {"$match(\"a1b2\", /([a-z])([0-9])/)", "[{\"match\":\"a1\",\"index\":0,\"groups\":[\"a\",\"1\"]},{"
                                           "\"match\":\"b2\",\"index\":2,\"groups\":[\"b\",\"2\"]}]"},
    {"$match(\"a1b2\", /([a-z])([0-9])/, 1)", "{\"match\":\"a1\",\"index\":0,\"groups\":[\"a\",\"1\"]}"},
    {"$match(\"ab\", /x/)", "undefined"},
    {"$contains(\"hello\", \"\")", "true"},
    {"$substring(\"hello\", 1, 0)", "\"\""},
    {"$substring(\"hello\", 10)", "\"\""},
    {"$substring(\"hello\", -10, 2)", "\"he\""},
    {"$pad(\"ab\", 6, \"xy\")", "\"abxyxy\""},
    {"$round(0.5)", "0"},
    {"$round(1.5)", "2"},
    {"$round(-0.5)", "0"},
    {"$round(123.456, -1)", "120"},
    {"$round(2.675, 2)", "2.68"},
    {"$floor(-0.5)", "-1"},
    {"$abs(-0)", "0"},
    {"$formatNumber(-1234.5, \"#,##0.0\")", "\"-1,234.5\""},
    {"$formatNumber(0.123, \"#.##\")", "\".12\""},
    {"$formatNumber(1000000, \"#,##0\")", "\"1,000,000\""},
    {"$formatNumber(12.3456, \"0.00\")", "\"12.35\""},
    {"$formatNumber(0, \"0.0\")", "\"0.0\""},
    {"$fromMillis(1767225600000, \"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]\")",
     "\"2026-01-01T00:00:00+00:00\""},
    {"$fromMillis(1767225600000, \"[FNn], [D1] [MNn] [Y]\")", "\"Thursday, 1 January 2026\""},
    {"$fromMillis(1767225600000, \"[H01]:[m01]\", \"+0530\")", "\"05:30\""},
    {"$fromMillis(1767225600000, undefined, \"-0200\")", "\"2025-12-31T22:00:00.000-02:00\""},
    {"$toMillis(\"2026-01-01T00:00:00.000Z\")", "1767225600000"},
    {"1 ~> $string()", "\"1\""},
    {"[3,1,2] ~> $sort() ~> $reverse()", "[3,2,1]"},
    {"$string(5) & $string(true)", "\"5true\""},
    {"\"x\" & [1,2]", "\"x[1,2]\""},
    {"\"x\" & {\"a\":1}", "\"x{\\\"a\\\":1}\""},
    {"$length(\"\") = 0", "true"},
    {"$boolean(\"false\")", "true"},
    {"$not(\"\")", "true"},
    {"$number(\" 12 \")", "ERR D3030"},
    {"$number(\"\")", "ERR D3030"},
    {"$number(\"-0.5\")", "-0.5"},
    {"$number(\"1e3\")", "1000"},
    {"$string(null)", "\"null\""},
    {"$string([])", "\"[]\""},
    {"$string({})", "\"{}\""},
    {"-(1)", "-1"},
    {"- states.input.a", "-1"},
    {"states.input.a - 1", "0"},
    {"states.input.a-1", "0"},
    {"$states", "undefined"},
    {"(1; 2; 3)", "3"},
    {"($a := [1,2]; $a ~> $count())", "2"},
    {"{\"a\": 1, \"a\": 2}", "ERR D1009"},
    {"{\"a\": 1}.a", "1"},
    {"{\"a\": {\"b\": 2}}.a.b", "2"},
    {"{1: 2}", "ERR T1003"},
    {"[1,2,3][-1]", "3"},
    {"[1,2,3][5]", "undefined"},
    {"[1,2,3][[0,2]]", "[1,3]"},
    {"[1,2,3][$ = 2]", "2"},
    {"[[1,2],[3,4]][1]", "[3,4]"},
    {"[[1,2],[3,4]][1][0]", "3"},
    {"[[1,2],[3,4]].$[0]", "[1,3]"},
    {"$count([1,2,3][$ > 5])", "0"},
    {"($x := 3; $x > 2 \? \"big\" : \"small\")", "\"big\""},
    {"(true \? 1 : 2) + 1", "2"},
    {"$sum([1,2,\"3\"])", "ERR T0412"},
    {"$max([1, \"a\"])", "ERR T0412"},
    {"$count(\"abc\")", "1"},
    {"$join(\"abc\", \",\")", "\"abc\""},
    {"[1,2,3].$string()", "[\"1\",\"2\",\"3\"]"},
    {"$single([1,2], function($v){$v>5})", "ERR D3139"},
    {"$keys(\"abc\")", "undefined"},
    {"$lookup({\"a\":[1,2]}, \"a\")", "[1,2]"},
    {"$sift({\"a\":1,\"b\":2}, function($v){$v > 5})", "undefined"},
    {"1 < missing", "undefined"},
    {"missing < 1", "undefined"},
    {"missing + 1", "undefined"},
    {"missing & missing", "\"\""},
    {"[missing]", "[]"},
    {"[missing, 1]", "[1]"},
    {"{\"a\": missing, \"b\": 1}", "{\"b\":1}"},
    {"$abs(missing)", "undefined"},
    {"$uppercase(missing)", "undefined"},
    {"$count([missing])", "0"},
    {"$string(missing)", "undefined"},
    {"$exists(states.input.nothing)", "false"},
    {"states.input.items[0].nothing.deeper", "undefined"},
    {"$reverse(\"abc\")", "[\"abc\"]"},
    {"$shuffle(missing)", "undefined"},
    {"$sort([])", "[]"},
    {"$sort([1, \"a\"])", "ERR D3070"},
    {"$distinct([[1],[1],{\"a\":1},{\"a\":1}])", "[[1],{\"a\":1}]"},
    {"$append([], [])", "[]"},
    {"[1,2] = [1,2,3]", "false"},
    {"\"1\" = 1", "false"},
    {"null = null", "true"},
    {"null = missing", "false"},
    {"true = true", "true"},
    {"$boolean(missing)", "undefined"},
    {"(function($x){ $x * 2 })(4)", "8"},
    {"$reduce([], function($a,$b){$a+$b})", "undefined"},
    {"$reduce([5], function($a,$b){$a+$b})", "5"},
    {"$map(missing, $string)", "undefined"},
    {"$filter([], function($v){true})", "undefined"},
    {"$map([1], function($v){[$v]})", "[1]"},
    {"$map([1,2], function($v){[$v]})", "[[1],[2]]"},
    {"$filter([1,2,3], function($v,$i){$i > 0})", "[2,3]"},
    {"$power(-8, 1/3)", "ERR D3061"},
    {"$sqrt(2)", "1.4142135623730951"},
    {"$round(1e20)", "100000000000000000000"},
    {"$formatBase(-10, 2)", "\"-1010\""},
    {"$formatBase(3.7)", "\"4\""},
    {"$string(-0)", "\"0\""},
    {"$string(1.5e-10)", "\"1.5e-10\""},
    {"$string(123456789.123456789)", "\"123456789.123457\""},
    {"$string(2e21)", "\"2e+21\""},
    {"10000000000000000000000", "1e+22"},
    {"0.000001", "0.000001"},
    {"0.0000001", "1e-7"},
    {"\"a\" < \"B\"", "false"},
    {"\"abc\" <= \"abc\"", "true"},
    {"$split(\"a.b.c\", \".\", 0)", "[]"},
    {"$split(\"\", \",\")", "[\"\"]"},
    {"$split(\"abc\", /x/)", "[\"abc\"]"},
    {"$trim(\"\")", "\"\""},
    {"\"\\u00e9\"", "\"\303\251\""},
    {"$length(\"\\ud83d\\ude00\")", "1"},
    {"$substring(\"a\360\237\230\200b\", 1, 1)", "\"\360\237\230\200\""},
};
static const char *DOC3 =
    "{\"order\": {\"id\": \"o-1\", \"customer\": {\"name\": \"Ann Lee\", \"email\": \"ann@example.com\", "
    "\"tier\": \"gold\"}, \"lines\": [{\"sku\": \"A-1\", \"qty\": 2, \"price\": 9.99, \"tags\": [\"x\"]}, "
    "{\"sku\": \"B-2\", \"qty\": 1, \"price\": 100, \"tags\": []}, {\"sku\": \"C-3\", \"qty\": 5, \"price\": "
    "0.5}], \"created\": \"2026-01-01T10:00:00Z\", \"meta\": {\"retries\": 0, \"flags\": {\"rush\": true}}}, "
    "\"Payload\": {\"statusCode\": 200, \"body\": \"{\\\"ok\\\":true,\\\"n\\\":3}\"}, \"list\": [3, 1, 2], "
    "\"empty\": {}, \"nul\": null}";
static const jcase_t CASES3[] = {
    {"order.lines[qty > 1].sku", "[\"A-1\",\"C-3\"]"},
    {"order.lines.(qty * price)", "[19.98,100,2.5]"},
    {"$sum(order.lines.(qty * price))", "122.48"},
    {"$round($sum(order.lines.(qty * price)), 2)", "122.48"},
    {"$formatNumber($sum(order.lines.(qty * price)), '#,##0.00')", "\"122.48\""},
    {"order.customer.name ~> $split(' ') ~> $map(function($w){ $substring($w, 0, 1) }) ~> $join('')",
     "\"AL\""},
    {"$substringBefore(order.customer.email, '@')", "\"ann\""},
    {"$contains(order.customer.email, '@example.')", "true"},
    {"order.lines[0].tags", "[\"x\"]"},
    {"order.lines[2].tags", "undefined"},
    {"order.lines.tags", "\"x\""},
    {"$count(order.lines.tags)", "1"},
    {"order.lines[-1].sku", "\"C-3\""},
    {"order.lines[[0, -1]].sku", "[\"A-1\",\"C-3\"]"},
    {"order.lines^(price).sku", "[\"C-3\",\"A-1\",\"B-2\"]"},
    {"order.lines^(>qty).sku", "[\"C-3\",\"A-1\",\"B-2\"]"},
    {"order.lines{sku: qty}", "{\"A-1\":2,\"B-2\":1,\"C-3\":5}"},
    {"order.lines.{'sku': sku, 'total': qty * price}",
     "[{\"sku\":\"A-1\",\"total\":19.98},{\"sku\":\"B-2\",\"total\":100},{\"sku\":\"C-3\",\"total\":2.5}]"},
    {"$merge(order.lines.{sku: price})", "{\"A-1\":9.99,\"B-2\":100,\"C-3\":0.5}"},
    {"$keys(order.customer)", "[\"name\",\"email\",\"tier\"]"},
    {"$each(order.customer, function($v, $k){ $k & '=' & $v })",
     "[\"name=Ann Lee\",\"email=ann@example.com\",\"tier=gold\"]"},
    {"$sift(order.customer, function($v, $k){ $k != 'email' })", "{\"name\":\"Ann Lee\",\"tier\":\"gold\"}"},
    {"order.meta.flags.rush \? 'express' : 'standard'", "\"express\""},
    {"$exists(order.meta.flags.slow) \? 1 : 0", "0"},
    {"order.meta.retries + 1", "1"},
    {"$type(nul)", "\"null\""},
    {"nul = null", "true"},
    {"$boolean(empty)", "false"},
    {"$keys(empty)", "undefined"},
    {"$count($keys(empty))", "0"},
    {"$lookup(order.customer, 'tier')", "\"gold\""},
    {"order.customer.('Dear ' & name)", "\"Dear Ann Lee\""},
    {"$reduce(list, function($acc, $v){ $acc > $v \? $acc : $v })", "3"},
    {"$sort(list)[0]", "1"},
    {"$max(list) - $min(list)", "2"},
    {"$average(order.lines.qty)", "2.6666666666666665"},
    {"$toMillis(order.created)", "1767261600000"},
    {"$fromMillis($toMillis(order.created) + 86400000)", "\"2026-01-02T10:00:00.000Z\""},
    {"$fromMillis($toMillis(order.created), '[Y0001]-[M01]-[D01]')", "\"2026-01-01\""},
    {"$distinct(order.lines.tags)", "\"x\""},
    {"$append(order.lines.sku, 'D-4')", "[\"A-1\",\"B-2\",\"C-3\",\"D-4\"]"},
    {"$zip(order.lines.sku, order.lines.qty)", "[[\"A-1\",2],[\"B-2\",1],[\"C-3\",5]]"},
    {"$filter(order.lines, function($l){ $l.price < 10 }).sku", "[\"A-1\",\"C-3\"]"},
    {"$map(order.lines, function($l, $i){ $string($i) & ':' & $l.sku })", "[\"0:A-1\",\"1:B-2\",\"2:C-3\"]"},
    {"[order.lines.sku]", "[\"A-1\",\"B-2\",\"C-3\"]"},
    {"order.lines[sku in ['A-1', 'C-3']].qty", "[2,5]"},
    {"$not($exists(order.missing))", "true"},
    {"order.lines[price = $max($$.order.lines.price)].sku", "\"B-2\""},
    {"order.lines[price = $max(order.lines.price)].sku", "undefined"},
    {"($total := $sum(order.lines.(qty*price)); $total > 100 \? 'big' : 'small')", "\"big\""},
    {"($f := function($x, $y){ $x & '-' & $y }; $f(order.id, 'x'))", "\"o-1-x\""},
    {"$uppercase(order.customer.tier) & '_' & $string(order.meta.retries)", "\"GOLD_0\""},
    {"order.lines[0].{'a': sku, 'b': tags}", "{\"a\":\"A-1\",\"b\":[\"x\"]}"},
    {"{'ids': order.lines.sku, 'n': $count(order.lines)}", "{\"ids\":[\"A-1\",\"B-2\",\"C-3\"],\"n\":3}"},
    {"order.lines.sku[1]", "undefined"},
    {"(order.lines.sku)[1]", "\"B-2\""},
    {"order.lines[1].sku[0]", "\"B-2\""},
    {"$string(order.lines[0].price * 3)", "\"29.97\""},
    {"9.99 * 3", "29.97"},
    {"$round(2.345, 2)", "2.34"},
    {"$round(-1.5)", "-2"},
    {"$number('1e400')", "ERR D3030"},
    {"$string(1e-7)", "\"1e-7\""},
    {"$replace(order.customer.name, ' ', '_')", "\"Ann_Lee\""},
    {"$trim('  a  ')", "\"a\""},
    {"$pad(order.id, 8, '0')", "\"o-100000\""},
    {"$pad(order.id, -8, '0')", "\"00000o-1\""},
    {"$length(order.customer.name)", "7"},
    {"$join(order.lines.sku, ', ')", "\"A-1, B-2, C-3\""},
    {"$split(order.created, 'T')[0]", "\"2026-01-01\""},
    {"$substring(order.created, 0, 10)", "\"2026-01-01\""},
    {"order.lines[tags].sku", "\"A-1\""},
    {"order.lines[$count(tags) > 0].sku", "\"A-1\""},
    {"order.lines[tags = 'x'].sku", "undefined"},
    {"order.lines.tags[0]", "\"x\""},
    {"order.*.name", "\"Ann Lee\""},
    {"order.**.rush", "true"},
    {"$spread(order.customer)",
     "[{\"name\":\"Ann Lee\"},{\"email\":\"ann@example.com\"},{\"tier\":\"gold\"}]"},
    {"$count(order.**)", "24"},
    {"$shuffle([])", "[]"},
    {"[1,2,3] ~> $map(function($v){$v*$v}) ~> $sum()", "14"},
    {"$single(order.lines, function($l){ $l.sku = 'B-2' }).price", "100"},
};

/* Generated by tools/gen_jsonata_cases.js with jsonata-js 2.0.6, each on DOC1: the transform
 * operator | pattern | update [, delete] | and $clone, then $formatInteger/$parseInteger pictures.
 * "ERR TypeError" / "ERR RangeError": jsonata-js fails with JavaScript's own error (no JSONata code). */
/* Regular expressions as JavaScript reads them (tools/gen_jsonata_cases.js, jsonata-js 2.0.6). */
static const jcase_t CASES_REGEX[] = {
    {"$match('ab', /a|ab/).match", "\"a\""},
    {"$match('<a><b>', /<.+\?>/).match", "[\"<a>\",\"<b>\"]"},
    {"$match('<a><b>', /<.+>/).match", "\"<a><b>\""},
    {"$match('aaa', /a*\?/)", "ERR D1004"},
    {"$match('aaa', /a+\?/).match", "[\"a\",\"a\",\"a\"]"},
    {"$match('aaa', /a{2,3}\?/).match", "\"aa\""},
    {"$match('price: 100USD 7EUR', /\\d+(\?=USD)/).match", "\"100\""},
    {"$replace('foo foobar', /foo(\?!bar)/, 'X')", "\"X foobar\""},
    {"$match('cost $42 or $7', /(\?<=\\$)\\d+/).match", "[\"42\",\"7\"]"},
    {"$match('a1 b2 c3', /(\?<!b)\\d/).match", "[\"1\",\"3\"]"},
    {"$match('aa bb cd', /(\\w)\\1/).match", "[\"aa\",\"bb\"]"},
    {"$match('b', /(a)\?\\1b/)", "{\"match\":\"b\",\"index\":0,\"groups\":[null]}"},
    {"$match('abab', /(\?:ab)+/).match", "\"abab\""},
    {"$match('2026-11', /(\?<y>\\d{4})-(\?<m>\\d{2})/).groups", "[\"2026\",\"11\"]"},
    {"$match('ab', /(\?<x>a)\\k<x>\?b/)", "{\"match\":\"ab\",\"index\":0,\"groups\":[\"a\"]}"},
    {"$match('a\\nb', /a[^]b/).match", "\"a\\nb\""},
    {"$contains('a\\nb', /a.b/)", "false"},
    {"$contains('a\\rb', /a.b/)", "false"},
    {"$contains('a\\u2028b', /a.b/)", "false"},
    {"$contains('abc\\n', /abc$/)", "false"},
    {"$contains('abc\\n', /abc$/m)", "true"},
    {"$match('a\\nb\\nc', /^\\w$/m).match", "[\"a\",\"b\",\"c\"]"},
    {"$match('a\\nb', /^b/)", "undefined"},
    {"$contains('\xc3\x89"
     "COLE', /\xc3\xa9"
     "cole/i)",
     "true"},
    {"$replace('cat concat cat', /\\bcat\\b/, 'dog')", "\"dog concat dog\""},
    {"$match('\xc3\xa9', /\\u00e9/).match", "\"\xc3\xa9\""},
    {"$match('\xd9\xa1\xd9\xa2"
     "2', /\\d/).match",
     "\"2\""},
    {"$contains('a\\u00a0b', /a\\sb/)", "true"},
    {"$contains('a\\u3000b', /a\\Sb/)", "false"},
    {"$match('a b\\tc', /\\S+/).match", "[\"a\",\"b\",\"c\"]"},
    {"$match('x\\u000by', /\\v/).index", "1"},
    {"$match('A', /\\A/).match", "\"A\""},
    {"$match('p{L}', /\\p{L}/).match", "\"p{L}\""},
    {"$match('e', /\\e/).match", "\"e\""},
    {"$match('aa', /a{,2}/)", "undefined"},
    {"$match('a{,2}', /a{,2}/).match", "\"a{,2}\""},
    {"$match('xyz', /(x)(y)\?(z)(w)\?/)",
     "{\"match\":\"xyz\",\"index\":0,\"groups\":[\"x\",\"y\",\"z\",null]}"},
    {"$replace('abc', /(b)(q)\?/, '[$2]')", "\"a[]c\""},
    {"$replace('abc', /(b)/, '[$0|$1|$2|$$]')", "\"a[b|b||$]c\""},
    {"$replace('abcdefghijkl', /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)/, '$11-$10-$1-$12')", "\"k-j-a-a2l\""},
    {"$match('abcdefghijkl', /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)/).groups",
     "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\"]"},
    {"$replace('aBc', /b/i, 'x')", "\"axc\""},
    {"$match('abcabc', /(abc)+/).groups", "[\"abc\"]"},
    {"$contains('aaaaaaaaaaaaaaaaaaab', /(a+)+b/)", "true"},
    {"$split('a1b22c333', /\\d+/)", "[\"a\",\"b\",\"c\",\"\"]"},
    {"$split('a, b,c', /\\s*,\\s*/)", "[\"a\",\"b\",\"c\"]"},
    {"$split('abc', /x*/)", "ERR D1004"},
    {"$split('abc', //)", "ERR S0301"},
    {"$match('abc', /(\?:)/)", "ERR D1004"},
    {"$replace('abc', /x*/, '-')", "ERR D1004"},
    {"$replace('a.b.c', /\\./, '/')", "\"a/b/c\""},
    {"$match('a:', /[[:alpha:]]/)", "undefined"},
    {"$match('[x', /[[]x/).match", "ERR S0302"},
    {"$match('a]', /a]/).match", "ERR S0302"},
    {"$match('tab\\there', /[\\s]/).index", "3"},
    {"$match('b', /[\\B]/)", "undefined"},
    {"$match('a-b', /[a\\-]+/).match", "\"a-\""},
    {"$match('a', /a++/)", "ERR SyntaxError"},
    {"$match('a', /(\?>a)/)", "ERR SyntaxError"},
    {"$match('x', /(\?i)x/)", "ERR SyntaxError"},
    {"$match('a', /[b-a]/)", "ERR SyntaxError"},
    {"$match('a', /(\?P<n>a)/)", "ERR SyntaxError"},
    {"$match('a', /a**/)", "ERR SyntaxError"},
    {"$match('ab', /(a)|b/)",
     "[{\"match\":\"a\",\"index\":0,\"groups\":[\"a\"]},{\"match\":\"b\",\"index\":1,\"groups\":[null]}]"},
    {"$match('The Quick Brown', /[A-Z]\\w+/).(index & ':' & match)", "[\"0:The\",\"4:Quick\",\"10:Brown\"]"},
    {"$replace('2026-11-23', /(\\d+)-(\\d+)-(\\d+)/, function($m){ $m.groups[2] & '/' & $m.groups[1] & '/' & "
     "$m.groups[0] })",
     "\"23/11/2026\""},
    {"$match('caf\xc3\xa9 cr\xc3\xa8me', /\\w+/).match", "[\"caf\",\"cr\",\"me\"]"},
    {"$match('\xc3\xa9t\xc3\xa9', /./).index", "[0,1,2]"},
    {"$match('x\xf0\x9f\x98\x80y', /y/).index", "3"},
    {"$match('\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
     "ab', /b/).index",
     "5"},
};

/* $uppercase / $lowercase with Unicode's full mappings (tools/gen_jsonata_cases.js, jsonata-js 2.0.6). */
static const jcase_t CASES_CASE[] = {
    {"$uppercase('Jos\xc3\xa9 M\xc3\xbcller-\xc5\x81ukasz')", "\"JOS\xc3\x89 M\xc3\x9cLLER-\xc5\x81UKASZ\""},
    {"$lowercase('JOS\xc3\x89 M\xc3\x9cLLER-\xc5\x81UKASZ')", "\"jos\xc3\xa9 m\xc3\xbcller-\xc5\x82ukasz\""},
    {"$uppercase('stra\xc3\x9f"
     "e')",
     "\"STRASSE\""},
    {"$uppercase('\xef\xac\x81nance \xef\xac\x82ow \xef\xac\x80 \xef\xac\x83 \xef\xac\x84 \xef\xac\x85 "
     "\xef\xac\x86')",
     "\"FINANCE FLOW FF FFI FFL ST ST\""},
    {"$uppercase('\xc5\x89 \xc7\xb0 \xce\x90 \xce\xb0 \xd6\x87 \xe1\xba\x96 \xe1\xba\x97 \xe1\xba\x98 "
     "\xe1\xba\x99 \xe1\xba\x9a')",
     "\"\xca\xbcN J\xcc\x8c \xce\x99\xcc\x88\xcc\x81 \xce\xa5\xcc\x88\xcc\x81 \xd4\xb5\xd5\x92 H\xcc\xb1 "
     "T\xcc\x88 W\xcc\x8a Y\xcc\x8a A\xca\xbe\""},
    {"$lowercase('\xc4\xb0STANBUL')", "\"i\xcc\x87stanbul\""},
    {"$uppercase('istanbul \xc4\xb1')", "\"ISTANBUL I\""},
    {"$lowercase('\xce\x9f\xce\x94\xce\x9f\xce\xa3 \xce\xa3\xce\x91 \xce\xa3 A\xce\xa3. \xce\xa3\xce\xa3')",
     "\"\xce\xbf\xce\xb4\xce\xbf\xcf\x82 \xcf\x83\xce\xb1 \xcf\x83 a\xcf\x82. \xcf\x83\xcf\x82\""},
    {"$lowercase('\xce\x8c\xce\xa3\xce\x9f\xce\xa3 \xce\xa3\xce\x9f\xce\xa6\xce\x9f\xce\xa3')",
     "\"\xcf\x8c\xcf\x83\xce\xbf\xcf\x82 \xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x82\""},
    {"$uppercase('\xc7\x86 \xc7\x85 \xc7\x84 \xc7\x89 \xc7\x88 \xc7\x8c \xc7\x8b')",
     "\"\xc7\x84 \xc7\x84 \xc7\x84 \xc7\x87 \xc7\x87 \xc7\x8a \xc7\x8a\""},
    {"$lowercase('\xc7\x85 \xc7\x84 \xc7\x88 \xc7\x8b')", "\"\xc7\x86 \xc7\x86 \xc7\x89 \xc7\x8c\""},
    {"$uppercase('\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80')",
     "\"\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2 \xd0\x9c\xd0\x98\xd0\xa0\""},
    {"$lowercase('\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2')",
     "\"\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\""},
    {"$uppercase('\xe1\xbe\xb3 \xe1\xbe\x80 \xe1\xbf\xb3 \xe1\xbf\xa4')",
     "\"\xce\x91\xce\x99 \xe1\xbc\x88\xce\x99 \xce\xa9\xce\x99 \xce\xa1\xcc\x93\""},
    {"$uppercase('\xea\x9e\xb5 \xea\x9f\x8a')", "\"\xea\x9e\xb4 \xea\x9f\x89\""},
    {"$uppercase('\xf0\x90\x90\xa8\xf0\x90\x90\xa9')", "\"\xf0\x90\x90\x80\xf0\x90\x90\x81\""},
    {"$lowercase('\xf0\x90\x90\x80')", "\"\xf0\x90\x90\xa8\""},
    {"$uppercase('a\xf0\x9f\x98\x80"
     "b')",
     "\"A\xf0\x9f\x98\x80"
     "B\""},
    {"$lowercase('\xc3\x80\xc3\x89\xc3\x8e\xc3\x95\xc3\x9c \xc5\xb8')",
     "\"\xc3\xa0\xc3\xa9\xc3\xae\xc3\xb5\xc3\xbc \xc3\xbf\""},
    {"$uppercase('\xc3\xa0\xc3\xa9\xc3\xae\xc3\xb5\xc3\xbc \xc3\xbf')",
     "\"\xc3\x80\xc3\x89\xc3\x8e\xc3\x95\xc3\x9c \xc5\xb8\""},
    {"$uppercase('')", "\"\""},
    {"$uppercase(missing)", "undefined"},
    {"$length($uppercase('\xc3\x9f'))", "2"},
    {"$uppercase('\xc2\xb5 \xc5\xbf \xcd\x85')", "\"\xce\x9c S \xce\x99\""},
    {"$lowercase('K \xc3\x85 \xe1\xba\x9e')", "\"k \xc3\xa5 \xc3\x9f\""},
};

static const jcase_t CASES_TRANSFORM[] = {
    {"$ ~> |Account.Order.Product|{'Price': Price * 2}| ~> $lookup('Account') ~> $lookup('Order') ~> "
     "$lookup('Product') ~> $lookup('Price')",
     "[68.9,43.34,68.9,215.98]"},
    {"(Account ~> |Order.Product|{'Total': Price * Quantity}|).Order.Product.Total",
     "[68.9,21.67,137.8,107.99]"},
    {"Account ~> |Order.Product|{}, 'Tags'|",
     "{\"Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Name\":\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":2},{\"Name\":\"Trilby "
     "hat\",\"ID\":858236,\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":\"order104\",\"Product\":[{\"Name\":"
     "\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":4},{\"Name\":\"Cloak\",\"ID\":345664,\"Price\":107.99,"
     "\"Quantity\":1}]}]}"},
    {"Account ~> |Order.Product|{}, ['Tags', 'ID', 'Name']|",
     "{\"Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Price\":34.45,\"Quantity\":"
     "2},{\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":\"order104\",\"Product\":[{\"Price\":34.45,"
     "\"Quantity\":4},{\"Price\":107.99,\"Quantity\":1}]}]}"},
    {"obj ~> |$|{'x': x + 1, 'v': 'new'}|", "{\"x\":2,\"y\":\"two\",\"z\":null,\"w\":true,\"v\":\"new\"}"},
    {"obj ~> |$|{'x': 10}, 'w'|", "{\"x\":10,\"y\":\"two\",\"z\":null}"},
    {"obj ~> |$|{}, ['y', 'z', 'nope']|", "{\"x\":1,\"w\":true}"},
    {"obj ~> |$|{'z': 'set'}, 'z'|", "{\"x\":1,\"y\":\"two\",\"w\":true}"},
    {"obj ~> |$|{}, []|", "{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true}"},
    {"obj ~> |missing|{'a': 1}|", "{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true}"},
    {"missing ~> |$|{'a': 1}|", "undefined"},
    {"obj ~> |$|{'a': 1}| ~> |$|{'b': a + 1}| ~> |$|{}, 'a'|",
     "{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true,\"b\":2}"},
    {"$map(Account.Order, |$|{'Count': $count(Product)}, 'Product'|)",
     "[{\"OrderID\":\"order103\",\"Count\":2},{\"OrderID\":\"order104\",\"Count\":2}]"},
    {"($t := |$|{'tagged': true}|; $map([obj, {'q': 1}], $t))",
     "[{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true,\"tagged\":true},{\"q\":1,\"tagged\":true}]"},
    {"Account.Order.(function($o){ $o ~> |Product[Price > 30]|{'Expensive': true}, 'Tags'| })($).Product",
     "[{\"Name\":\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":2,\"Expensive\":true},{\"Name\":\"Trilby "
     "hat\",\"ID\":858236,\"Price\":21.67,\"Quantity\":1,\"Tags\":[\"c\"]},{\"Name\":\"Bowler "
     "Hat\",\"ID\":858383,\"Price\":34.45,\"Quantity\":4,\"Expensive\":true},{\"Name\":\"Cloak\",\"ID\":"
     "345664,\"Price\":107.99,\"Quantity\":1,\"Expensive\":true}]"},
    {"($f := function($x){ $x ~> |**[ID]|{'ID': $string(ID)}| }; $f(Account).Order.Product.ID)",
     "[858383,858236,858383,345664]"},
    {"nested ~> |$|{'0': 'zero'}|", "[[\"zero\",2],[\"zero\",[4,5]]]"},
    {"{'a': {'b': {'c': 1}}} ~> |a.b|{'c': c + 1, 'd': [1, 2]}|", "{\"a\":{\"b\":{\"c\":2,\"d\":[1,2]}}}"},
    {"{'a': {'b': {'c': 1}}} ~> |a|{'b': 'flat'}|", "{\"a\":{\"b\":\"flat\"}}"},
    {"{'a': [{'k': 1}, {'k': 2}, 3]} ~> |a[k > 1]|{'big': true}|",
     "{\"a\":[{\"k\":1},{\"k\":2,\"big\":true},3]}"},
    {"{'items': [{'id': 1}, {'id': 2}]} ~> |items|{'id': id * 10, 'old': id}|",
     "{\"items\":[{\"id\":10,\"old\":1},{\"id\":20,\"old\":2}]}"},
    {"{'a': 1, 'b': 2} ~> |$|$|", "{\"a\":1,\"b\":2}"},
    {"{'a': 0.1 + 0.2} ~> |$|{}|", "{\"a\":0.3}"},
    {"$clone({'a': 0.1 + 0.2, 'b': [1, {'c': 2}]})", "{\"a\":0.3,\"b\":[1,{\"c\":2}]}"},
    {"[{'a': 1}, {'a': 2}] ~> |$|{'b': a * 2}|", "[{\"a\":1,\"b\":2},{\"a\":2,\"b\":4}]"},
    {"obj ~> |$|5|", "ERR T2011"},
    {"obj ~> |$|[{'a': 1}]|", "ERR T2011"},
    {"obj ~> |$|null|", "ERR T2011"},
    {"obj ~> |$|{}, 5|", "ERR T2012"},
    {"obj ~> |$|{}, ['x', 1]|", "ERR T2012"},
    {"obj ~> |$|{}, {'x': 1}|", "ERR T2012"},
    {"5 ~> |$|{}|", "ERR T0410"},
    {"'str' ~> |$|{}|", "ERR T0410"},
    {"obj ~> |x|{'a': 1}|", "ERR TypeError"},
    {"obj ~> |y|{'a': 1}|", "ERR TypeError"},
    {"obj ~> |z|{'a': 1}|", "ERR TypeError"},
    {"obj ~> |x|{}|", "{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true}"},
    {"obj ~> |x|{}, 'a'|", "{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":true}"},
    {"($clone := 5; obj ~> |$|{}|)", "ERR T2013"},
    {"($clone := function($v){ {'cloned': true} }; obj ~> |$|{'also': 1}|)", "{\"cloned\":true,\"also\":1}"},
    {"|$|{}|()", "ERR T0410"},
    {"|$|{}|(obj, 1)", "ERR T0410"},
    {"obj ~> |$|{'a': 1}", "ERR S0203"},
    {"obj ~> |$ {'a': 1}|", "ERR S0203"},
    {"{'a': {'b': 1}} ~> |(a, a)|{'n': 1}|", "ERR S0202"},
    {"{'a': {'b': 1}} ~> |[a, a]|{'n': $count($keys($))}|", "{\"a\":{\"b\":1,\"n\":2}}"},
    {"{'a': {'b': {'c': 1}}} ~> |**|{}|", "{\"a\":{\"b\":{\"c\":1}}}"},
    {"{'a': {'b': {'c': 1}}} ~> |a.*|{'seen': true}|", "{\"a\":{\"b\":{\"c\":1,\"seen\":true}}}"},
    {"{'a': {'b': {'c': 1}}} ~> |(a, a.b)|{'b': 'gone'}|", "ERR S0202"},
    {"{'a': {'b': {'c': 1}}} ~> |(a.b, a)|{'x': $keys($)}|", "ERR S0202"},
    {"{'a': {'b': 1}} ~> |{'x': a}|{'b': 2}|", "{\"a\":{\"b\":1}}"},
    {"{'a': {'b': 1}} ~> |$merge([a])|{'b': 2}|", "{\"a\":{\"b\":1}}"},
    {"{'a': [[1, 2], [3]]} ~> |a|{'0': 9}|", "{\"a\":[[9,2],[9]]}"},
    {"{'a': [[1, 2], [3]]} ~> |$|{}, 'a'| ~> $keys()", "undefined"},
    {"$string(obj ~> |$|{'s': 'x'}|)",
     "\"{\\\"x\\\":1,\\\"y\\\":\\\"two\\\",\\\"z\\\":null,\\\"w\\\":true,\\\"s\\\":\\\"x\\\"}\""},
    {"obj ~> |$|{'w': $$.s}|", "{\"x\":1,\"y\":\"two\",\"z\":null,\"w\":\"Hello World\"}"},
    {"{'secret': 'k', 'data': {'secret': 'j', 'v': 1}} ~> |**[secret]|{}, 'secret'|", "{\"data\":{\"v\":1}}"},
    {"($o := {'a': {'b': 1}}; $o ~> |a|{'inner': $ ~> |$|{'x': b + 1}|}|)",
     "{\"a\":{\"b\":1,\"inner\":{\"b\":1,\"x\":2}}}"},
    {"{'a': {'b': {'c': 1}}} ~> |a|{'m': $ ~> |b|{'d': 2}|}| ~> |a.m.b|{'e': 3}|",
     "{\"a\":{\"b\":{\"c\":1},\"m\":{\"b\":{\"c\":1,\"d\":2,\"e\":3}}}}"},
    {"($copy := Account.Order[0]; Account ~> |Order|{'n': $count($copy ~> |Product|{'seen': "
     "true}|.Product.seen)}|).Order.n",
     "ERR T2006"},
};
static const jcase_t CASES_INTEGER[] = {
    {"$formatInteger(0, '0')", "\"0\""},
    {"$formatInteger(7, '000')", "\"007\""},
    {"$formatInteger(1234567, '#,##0')", "\"1,234,567\""},
    {"$formatInteger(1234567, '#,###')", "ERR D3130"},
    {"$formatInteger(-1234.9, '#,##0')", "\"-1,235\""},
    {"$formatInteger(12.7, '0')", "\"12\""},
    {"$formatInteger(1234567, '0,00,000')", "\"12,34,567\""},
    {"$formatInteger(123456789, '#:##0;')", "\"123:456:789\""},
    {"$formatInteger(12345678, '# ### ##0')", "\"12 345 678\""},
    {"$formatInteger(1234, '00-00')", "\"12-34\""},
    {"$formatInteger(5, '#,#0,00')", "\"0,05\""},
    {"$formatInteger(1234567, '#,##,##0')", "\"12,34,567\""},
    {"$formatInteger(1e21, '0')", "\"1e+21\""},
    {"$formatInteger(123, '\xd9\xa1\xd9\xa2')", "\"\xd9\xa1\xd9\xa2\xd9\xa3\""},
    {"$formatInteger(2026, '\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90')",
     "\"\xef\xbc\x90\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96\""},
    {"$formatInteger(1, '0;o')", "\"1st\""},
    {"$formatInteger(2, '0;o')", "\"2nd\""},
    {"$formatInteger(3, '0;o')", "\"3rd\""},
    {"$formatInteger(11, '0;o')", "\"11th\""},
    {"$formatInteger(12, '0;o')", "\"12th\""},
    {"$formatInteger(13, '0;o')", "\"13th\""},
    {"$formatInteger(21, '0;o')", "\"21st\""},
    {"$formatInteger(102, '#,##0;o')", "\"102nd\""},
    {"$formatInteger(1111, '#,##0;o')", "\"1,111th\""},
    {"$formatInteger(0, 'w')", "\"zero\""},
    {"$formatInteger(13, 'w')", "\"thirteen\""},
    {"$formatInteger(21, 'W')", "\"TWENTY-ONE\""},
    {"$formatInteger(99, 'Ww')", "\"Ninety-Nine\""},
    {"$formatInteger(100, 'w')", "\"one hundred\""},
    {"$formatInteger(101, 'w')", "\"one hundred and one\""},
    {"$formatInteger(1234, 'Ww')", "\"One Thousand, Two Hundred and Thirty-Four\""},
    {"$formatInteger(1000000, 'w')", "\"one million\""},
    {"$formatInteger(1000001, 'w;o')", "\"one million and first\""},
    {"$formatInteger(123456789012, 'W')",
     "\"ONE HUNDRED AND TWENTY-THREE BILLION, FOUR HUNDRED AND FIFTY-SIX MILLION, SEVEN HUNDRED AND "
     "EIGHTY-NINE THOUSAND AND TWELVE\""},
    {"$formatInteger(2000000000000000, 'w')", "\"two thousand trillion\""},
    {"$formatInteger(-15, 'w')", "\"-fifteen\""},
    {"$formatInteger(12, 'w;o')", "\"twelfth\""},
    {"$formatInteger(20, 'w;o')", "\"twentieth\""},
    {"$formatInteger(100, 'Ww;o')", "\"One Hundredth\""},
    {"$formatInteger(1000, 'w;o')", "\"one thousandth\""},
    {"$formatInteger(345, 'w;o')", "\"three hundred and forty-fifth\""},
    {"$formatInteger(0, 'w;o')", "\"zeroth\""},
    {"$formatInteger(1999, 'I')", "\"MCMXCIX\""},
    {"$formatInteger(2024, 'i')", "\"mmxxiv\""},
    {"$formatInteger(4, 'i')", "\"iv\""},
    {"$formatInteger(0, 'I')", "\"\""},
    {"$formatInteger(-9, 'I')", "\"-IX\""},
    {"$formatInteger(1, 'A')", "\"A\""},
    {"$formatInteger(26, 'A')", "\"Z\""},
    {"$formatInteger(27, 'a')", "\"aa\""},
    {"$formatInteger(702, 'A')", "\"ZZ\""},
    {"$formatInteger(703, 'a')", "\"aaa\""},
    {"$formatInteger(0, 'a')", "\"\""},
    {"$formatInteger(-3, 'a')", "\"-c\""},
    {"$formatInteger(5, 'a;o')", "\"e\""},
    {"$formatInteger(5, '#')", "ERR D3130"},
    {"$formatInteger(5, '')", "ERR D3130"},
    {"$formatInteger(5, 'x')", "ERR D3130"},
    {"$formatInteger(5, 'Wx')", "ERR D3130"},
    {"$formatInteger(-5, 'Wx')", "ERR D3130"},
    {"$formatInteger(5, '0\xd9\xa1')", "ERR D3131"},
    {"$formatInteger('5', '0')", "ERR T0410"},
    {"$formatInteger(5, 5)", "ERR T0410"},
    {"$formatInteger(5)", "ERR T0410"},
    {"$formatInteger(missing, '0')", "undefined"},
    {"nums.$formatInteger('00')", "[\"01\",\"05\",\"03\",\"09\",\"02\"]"},
    {"$formatInteger(n, '0')", "\"-4\""},
    {"$parseInteger('12', '0')", "12"},
    {"$parseInteger('1,234,567', '#,##0')", "1234567"},
    {"$parseInteger('12 345', '# ##0')", "12"},
    {"$parseInteger('12-34', '00-00')", "12"},
    {"$parseInteger('0012', '0000')", "12"},
    {"$parseInteger('21st', '0;o')", "21"},
    {"$parseInteger('1,001st', '#,##0;o')", "1001"},
    {"$parseInteger('\xd9\xa1\xd9\xa2\xd9\xa3', '\xd9\xa0\xd9\xa0')", "123"},
    {"$parseInteger('12abc', '0')", "12"},
    {"$parseInteger(' 42', '0')", "42"},
    {"$parseInteger('-42', '0')", "-42"},
    {"$parseInteger('one hundred and twenty-three', 'w')", "123"},
    {"$parseInteger('One Thousand, Two Hundred and Thirty-Four', 'Ww')", "1234"},
    {"$parseInteger('TWENTY-ONE', 'W')", "21"},
    {"$parseInteger('twelfth', 'w;o')", "12"},
    {"$parseInteger('one million, two hundred thousand and five', 'w')", "1200005"},
    {"$parseInteger('mcmxcix', 'i')", "1999"},
    {"$parseInteger('MMXXVI', 'I')", "2026"},
    {"$parseInteger('IV', 'i')", "4"},
    {"$parseInteger('AB', 'A')", "28"},
    {"$parseInteger('zz', 'a')", "702"},
    {"$parseInteger('a', 'a')", "1"},
    {"$parseInteger('12', '#')", "ERR D3130"},
    {"$parseInteger('12', '')", "ERR D3130"},
    {"$parseInteger('1', '0\xd9\xa1')", "ERR D3131"},
    {"$parseInteger(12, '0')", "ERR T0410"},
    {"$parseInteger('12')", "ERR T0411"},
    {"$parseInteger(missing, '0')", "undefined"},
    {"$parseInteger($formatInteger(987654, 'w'), 'w')", "987654"},
    {"$parseInteger($formatInteger(3999, 'I'), 'I')", "3999"},
    {"$parseInteger($formatInteger(12345, 'A'), 'A')", "12345"},
    {"[1, 22, 333].$formatInteger($, '0;o')", "[\"1st\",\"22nd\",\"333rd\"]"},
    {"$parseInteger('1.234', '#.##0')", "1"},
    {"$parseInteger('1|234', '#|##0')", "1"},
    {"$formatInteger(5, '#,##,0')", "\",,5\""},
    {"$formatInteger(5, '0,')", "\"5,\""},
    {"$formatInteger(12345, ',0')", "\"1,2,3,4,5\""},
    {"$formatInteger(1234567, '#\xf0\x9f\x98\x80##0')", "\"1\xf0\x9f\x98\x80"
                                                        "234\xf0\x9f\x98\x80"
                                                        "567\""},
    {"$formatInteger(1234567, '#,##0.000')", "\"1,234.567\""},
    {"$parseInteger('1\xf0\x9f\x98\x80"
     "234', '#\xf0\x9f\x98\x80###0.0')",
     "1234"},
    {"$parseInteger('1', '\xd9\xa0')", "ERR RangeError"},
    {"$parseInteger('0x1A', '0')", "26"},
    {"$parseInteger('\xc4\xb1v', 'i')", "4"},
    {"$length($formatInteger(1e300, 'w'))", "670"},
    {"$length($formatInteger(1e300, 'a'))", "213"},
    {"$formatInteger(1.5e300, '0')", "\"1.5e+300\""},
    {"$formatInteger(-0.5, '0')", "\"-1\""},
    {"$formatInteger(123, '00;o')", "\"123rd\""},
    {"$formatInteger(113, '#0;ord')", "\"113th\""},
    {"$length($formatInteger(5000000, 'I'))", "5000"},
    {"$formatInteger(999999999999999, 'w')",
     "\"nine hundred and ninety-nine trillion, nine hundred and ninety-nine billion, nine hundred and "
     "ninety-nine million, nine hundred and ninety-nine thousand, nine hundred and ninety-nine\""},
    {"$formatInteger(1000000000000, 'w;o')", "\"one trillionth\""},
    {"$formatInteger(110, 'w')", "\"one hundred and ten\""},
    {"$formatInteger(40, 'w;o')", "\"fortieth\""},
    {"$parseInteger('ONE HUNDRED AND ONE', 'w')", "101"},
    {"$parseInteger('five hundred thousand, three hundred', 'w')", "500300"},
    {"$parseInteger('hundredth', 'w')", "0"},
    {"$parseInteger('twenty\\one', 'w')", "ERR S0103"},
    {"$parseInteger('MCM', 'I')", "1900"},
    {"$parseInteger('MIM', 'I')", "1999"},
    {"$parseInteger('a\xc3\xa9', 'a')", "163"},
    {"$parseInteger('\xf0\x9f\x98\x80', 'A')", "1494386"},
    {"$parseInteger('007', '0;o')", "0"},
    {"$parseInteger('1,2,3', '0,0')", "123"},
    {"$parseInteger('1 2', '0,0')", "1"},
    {"$parseInteger('  +12', '0')", "12"},
    {"$parseInteger('000000000000000000000000000000000000000000000000000000000000123', '0')", "123"},
    {"$parseInteger('12345678901234567890', '0')", "12345678901234567000"},
    {"$formatInteger(12345678901234567890, '0')", "\"12345678901234567000\""},
    {"$formatInteger(5, 'i;o')", "\"v\""},
    {"$formatInteger(5, 'ww')", "ERR D3130"},
    {"$formatInteger(12, '#,#,#0')", "\",,2\""},
    {"$parseInteger('x', '0') + 1", "ERR T2001"},
    {"1 * $parseInteger('x', '0')", "ERR T2002"},
    {"-$parseInteger('x', '0')", "ERR D1002"},
    {"$parseInteger('x', '0') > 1", "false"},
    {"$parseInteger('x', '0') >= 1", "false"},
    {"$parseInteger('x', '0') <= 1", "false"},
    {"$parseInteger('x', '0') = $parseInteger('x', '0')", "false"},
    {"$type($parseInteger('x', '0'))", "\"object\""},
    {"$parseInteger('x', '0') \? 1 : 2", "2"},
    {"$boolean($parseInteger('x', '0'))", "false"},
    {"$exists($parseInteger('x', '0'))", "true"},
    {"$formatInteger($parseInteger('x', '0'), '000')", "\"NaN\""},
    {"$formatInteger($parseInteger('x', '0'), 'a')", "\"\""},
};

static const jcase_t CASES_DATETIME[] = {
    {"$fromMillis(1510067557121)", "\"2017-11-07T15:12:37.121Z\""},
    {"$fromMillis(0)", "\"1970-01-01T00:00:00.000Z\""},
    {"$fromMillis(-1)", "\"1969-12-31T23:59:59.999Z\""},
    {"$fromMillis(-1.5)", "\"1969-12-31T23:59:59.999Z\""},
    {"$fromMillis(1.7)", "\"1970-01-01T00:00:00.001Z\""},
    {"$fromMillis(1510067557121, '[Y0001]-[M01]-[D01]')", "\"2017-11-07\""},
    {"$fromMillis(1510067557121, '[Y]')", "\"2017\""},
    {"$fromMillis(1510067557121, '[Y01]')", "\"17\""},
    {"$fromMillis(1510067557121, '[Y,2]')", "\"17\""},
    {"$fromMillis(1510067557121, '[Y,*-2]')", "\"17\""},
    {"$fromMillis(1510067557121, '[Y0001,2-2]')", "\"17\""},
    {"$fromMillis(1510067557121, '[Y,6]')", "\"002017\""},
    {"$fromMillis(1510067557121, '[YI]')", "\"MMXVII\""},
    {"$fromMillis(1510067557121, '[Yi]')", "\"mmxvii\""},
    {"$fromMillis(1510067557121, '[Yw]')", "\"two thousand and seventeen\""},
    {"$fromMillis(1510067557121, '[YW]')", "\"TWO THOUSAND AND SEVENTEEN\""},
    {"$fromMillis(1510067557121, '[YWw]')", "\"Two Thousand and Seventeen\""},
    {"$fromMillis(1510067557121, '[Y#,##0]')", "ERR D3130"},
    {"$fromMillis(1510067557121, '[Y0001,*-3]')", "\"017\""},
    {"$fromMillis(1510067557121, '[M]')", "\"11\""},
    {"$fromMillis(1510067557121, '[M01]')", "\"11\""},
    {"$fromMillis(1510067557121, '[MNn]')", "\"November\""},
    {"$fromMillis(1510067557121, '[MN]')", "\"NOVEMBER\""},
    {"$fromMillis(1510067557121, '[Mn]')", "\"november\""},
    {"$fromMillis(1510067557121, '[MNn,*-3]')", "\"Nov\""},
    {"$fromMillis(1510067557121, '[MN,3-3]')", "\"NOV\""},
    {"$fromMillis(1510067557121, '[Mn,1-2]')", "\"no\""},
    {"$fromMillis(1510067557121, '[MNn,5]')", "\"November\""},
    {"$fromMillis(1510067557121, '[MI]')", "\"XI\""},
    {"$fromMillis(1510067557121, '[Mi]')", "\"xi\""},
    {"$fromMillis(1510067557121, '[MA]')", "\"K\""},
    {"$fromMillis(1510067557121, '[Ma]')", "\"k\""},
    {"$fromMillis(1510067557121, '[Mw]')", "\"eleven\""},
    {"$fromMillis(1510067557121, '[M1o]')", "\"11th\""},
    {"$fromMillis(1510067557121, '[Mwo]')", "\"eleventh\""},
    {"$fromMillis(1510067557121, '[MWwo]')", "\"Eleventh\""},
    {"$fromMillis(1510067557121, '[D]')", "\"7\""},
    {"$fromMillis(1510067557121, '[D01]')", "\"07\""},
    {"$fromMillis(1510067557121, '[D1o]')", "\"7th\""},
    {"$fromMillis(1510067557121, '[Dwo]')", "\"seventh\""},
    {"$fromMillis(1510067557121, '[DWwo]')", "\"Seventh\""},
    {"$fromMillis(1510067557121, '[D#1]')", "\"7\""},
    {"$fromMillis(1510067557121, '[D,2-2]')", "\"07\""},
    {"$fromMillis(1510067557121, '[D001]')", "\"007\""},
    {"$fromMillis(1510067557121, '[D1c]')", "\"7\""},
    {"$fromMillis(1510067557121, '[d]')", "\"311\""},
    {"$fromMillis(1510067557121, '[d001]')", "\"311\""},
    {"$fromMillis(1510067557121, '[dwo]')", "\"three hundred and eleventh\""},
    {"$fromMillis(1510067557121, '[F]')", "\"tuesday\""},
    {"$fromMillis(1510067557121, '[FNn]')", "\"Tuesday\""},
    {"$fromMillis(1510067557121, '[FN]')", "\"TUESDAY\""},
    {"$fromMillis(1510067557121, '[Fn,*-3]')", "\"tue\""},
    {"$fromMillis(1510067557121, '[F01]')", "\"02\""},
    {"$fromMillis(1510067557121, '[FNn,2-2]')", "\"Tu\""},
    {"$fromMillis(1510067557121, '[W]')", "\"45\""},
    {"$fromMillis(1510067557121, '[W01]')", "\"45\""},
    {"$fromMillis(1510067557121, '[w]')", "\"2\""},
    {"$fromMillis(1510067557121, '[X]')", "\"2017\""},
    {"$fromMillis(1510067557121, '[x]')", "\"11\""},
    {"$fromMillis(1510067557121, '[xNn]')", "\"November\""},
    {"$fromMillis(1510067557121, '[Wwo]')", "\"forty-fifth\""},
    {"$fromMillis(1104537600000, '[Y]-[d] [X]-W[W]-[F] [x]/[w] [xNn]')",
     "\"2005-1 2004-W53-saturday 12/5 December\""},
    {"$fromMillis(1230681600000, '[X]-W[W01]-[F] [x]/[w]')", "\"2009-W01-wednesday 1/1\""},
    {"$fromMillis(1293753600000, '[X] [W] [x] [w]')", "\"2010 52 12 5\""},
    {"$fromMillis(1514678400000, '[X] [W] [x] [w]')", "\"2017 52 12 4\""},
    {"$fromMillis(951782400000, '[d] [W]')", "\"60 9\""},
    {"$fromMillis(1510067557121, '[H]')", "\"15\""},
    {"$fromMillis(1510067557121, '[H01]')", "\"15\""},
    {"$fromMillis(1510067557121, '[h]')", "\"3\""},
    {"$fromMillis(1510067557121, '[h01]')", "\"03\""},
    {"$fromMillis(1510067557121, '[P]')", "\"pm\""},
    {"$fromMillis(1510067557121, '[PN]')", "\"PM\""},
    {"$fromMillis(1510067557121, '[Pn]')", "\"pm\""},
    {"$fromMillis(1510067557121, '[PNn]')", "\"pm\""},
    {"$fromMillis(1510067557121, '[P1]')", "\"pm\""},
    {"$fromMillis(1510056000000, '[h]:[m01] [P]')", "\"12:00 pm\""},
    {"$fromMillis(1510012800000, '[h] [P]')", "\"12 am\""},
    {"$fromMillis(1510012800000, '[H]:[m]:[s]')", "\"0:00:00\""},
    {"$fromMillis(1510067557121, '[m]')", "\"12\""},
    {"$fromMillis(1510067557121, '[m01]')", "\"12\""},
    {"$fromMillis(1510067557121, '[s]')", "\"37\""},
    {"$fromMillis(1510067557121, '[s01]')", "\"37\""},
    {"$fromMillis(1510067557121, '[s1o]')", "\"37th\""},
    {"$fromMillis(1510067557121, '[f]')", "\"121\""},
    {"$fromMillis(1510067557121, '[f001]')", "\"121\""},
    {"$fromMillis(1510067557121, '[f01]')", "\"121\""},
    {"$fromMillis(1510067557121, '[f0001]')", "\"0121\""},
    {"$fromMillis(1510067557121, '[f,3-3]')", "\"121\""},
    {"$fromMillis(1510067557005, '[f001]')", "\"005\""},
    {"$fromMillis(1510067557005, '[f1]')", "\"5\""},
    {"$fromMillis(1510067557121, '[Z]')", "\"+00:00\""},
    {"$fromMillis(1510067557121, '[z]')", "\"GMT+00:00\""},
    {"$fromMillis(1510067557121, '[Z0]')", "\"+0\""},
    {"$fromMillis(1510067557121, '[Z00]')", "\"+00\""},
    {"$fromMillis(1510067557121, '[Z000]')", "\"+000\""},
    {"$fromMillis(1510067557121, '[Z0000]')", "\"+0000\""},
    {"$fromMillis(1510067557121, '[Z00:00t]')", "\"Z\""},
    {"$fromMillis(1510067557121, '[Z01:01t]')", "\"Z\""},
    {"$fromMillis(1510067557121, '[z01:01]')", "\"GMT+00:00\""},
    {"$fromMillis(1510067557121, '[Z00000]')", "ERR D3134"},
    {"$fromMillis(1510067557121, '[ZN]')", "ERR D3134"},
    {"$fromMillis(1510067557121, '[Zi]')", "ERR D3134"},
    {"$fromMillis(1510067557121, '[H01]:[m01] [Z] [z] [Z0000] [Z0]', '+0530')",
     "\"20:42 +05:30 GMT+05:30 +0530 +5:30\""},
    {"$fromMillis(1510067557121, '[H01]:[m01] [Z] [z] [Z0000] [Z0]', '-0530')",
     "\"08:42 -06:30 GMT-06:30 -0630 -6:-30\""},
    {"$fromMillis(1510067557121, '[H01]:[m01] [Z] [Z0] [Z000]', '-0800')", "\"07:12 -08:00 -8 -800\""},
    {"$fromMillis(1510067557121, '[Y]-[M]-[D] [H01]:[m01] [Z01:01t]', '+1245')",
     "\"2017-11-8 03:57 +12:45\""},
    {"$fromMillis(1510067557121, '[H01]:[m01] [Z01:01t]', '0000')", "\"15:12 Z\""},
    {"$fromMillis(1510067557121, '[H]:[m]', '+05:30')", "\"15:17\""},
    {"$fromMillis(1510067557121, '[Y]-[M]-[D] [H]:[m]', 'xyz')", "\"NaN-NaN-NaN NaN:NaN\""},
    {"$fromMillis(0, '[Z]', 'xyz')", "\"0N:aN\""},
    {"$fromMillis(1510067557121, undefined, '+0100')", "\"2017-11-07T16:12:37.121+01:00\""},
    {"$fromMillis(1510067557121, undefined, '-0930')", "\"2017-11-07T04:42:37.121-10:30\""},
    {"$fromMillis(1510067557121, '[C] [E]')", "\"ISO ISO\""},
    {"$fromMillis(1510067557121, '[CN]')", "\"ISO\""},
    {"$fromMillis(1510067557121, '[E1]')", "\"ISO\""},
    {"$fromMillis(1510067557121, 'Date: [[[D]]] [[x]] end')", "\"Date: [7] [x] end\""},
    {"$fromMillis(1510067557121, '[[[Y]]]')", "\"[2017]\""},
    {"$fromMillis(1510067557121, 'a]]b[Y]c]')", "\"a]b2017c]\""},
    {"$fromMillis(1510067557121, '[ Y 0001 ] [M 0 1]')", "\"2017 11\""},
    {"$fromMillis(1510067557121, '[Y\x09"
     "01]')",
     "\"17\""},
    {"$fromMillis(1510067557121, '')", "\"\""},
    {"$fromMillis(1510067557121, 'no markers')", "\"no markers\""},
    {"$fromMillis(1510067557121, '[Y]]]')", "\"2017]\""},
    {"$fromMillis(1510067557121, '[Q]')", "ERR D3132"},
    {"$fromMillis(1510067557121, '[]')", "ERR D3132"},
    {"$fromMillis(1510067557121, '[Y')", "ERR D3135"},
    {"$fromMillis(1510067557121, '[DN]')", "ERR D3133"},
    {"$fromMillis(1510067557121, '[HN]')", "ERR D3133"},
    {"$fromMillis(1510067557121, '[YNn]')", "ERR D3133"},
    {"$fromMillis(1510067557121, '[Y\xd9\xa0"
     "1]')",
     "ERR D3131"},
    {"$fromMillis(1510067557121, '[Yb]')", "ERR D3130"},
    {"$fromMillis(1510067557121, '[fN]')", "ERR TypeError"},
    {"$fromMillis(1510067557121, '[q1]')", "\"undefined\""},
    {"$fromMillis(1510067557121, '[,2]')", "\"undefined\""},
    {"$fromMillis(100000000000000000000, '[MNn]')", "\"undefined\""},
    {"$fromMillis(100000000000000000000, '[MN]')", "ERR TypeError"},
    {"$fromMillis(100000000000000000000, '[FNn,*-3]')", "ERR TypeError"},
    {"$fromMillis(8.64e15)", "\"5760-09-13T00:00:00.000Z\""},
    {"$fromMillis(8.64e15 + 1)", "\"0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ\""},
    {"$fromMillis(-62135596800000)", "\"0001-01-01T00:00:00.000Z\""},
    {"$fromMillis(-62198755200000)", "\"-0001-01-01T00:00:00.000Z\""},
    {"$fromMillis(-62104060800000, '[Y0001]-[d]-[W]')", "\"0002-1-1\""},
    {"$fromMillis(-59011459200000, '[Y0001] [d] [W] [X]')", "\"0100 1 -99085 99\""},
    {"$fromMillis(253402300799999)", "\"9999-12-31T23:59:59.999Z\""},
    {"$fromMillis(-8640000000000000, '[Y]')", "\"-271821\""},
    {"[1, 2, 3, 11, 12, 13, 21, 22, 23, 31].$fromMillis(1509494400000 + ($ - 1) * 86400000, '[D1o]')",
     "[\"1st\",\"2nd\",\"3rd\",\"11th\",\"12th\",\"13th\",\"21st\",\"22nd\",\"23rd\",\"1st\"]"},
    {"[1, 2, 3, 4, 5, 6, 7].$fromMillis(1509926400000 + ($ - 1) * 86400000, '[FNn,*-2] [F]')",
     "[\"Mo monday\",\"Tu tuesday\",\"We wednesday\",\"Th thursday\",\"Fr friday\",\"Sa saturday\",\"Su "
     "sunday\"]"},
    {"$fromMillis('x')", "ERR T0411"},
    {"5000 ~> $fromMillis('[s]')", "\"05\""},
    {"5000 ~> $fromMillis('[H]:[m]', '+0100')", "\"1:00\""},
    {"$fromMillis(0, 5)", "ERR T0410"},
    {"$fromMillis(0, '[Y]', 5)", "ERR T0410"},
    {"$fromMillis(missing, '[Y]')", "undefined"},
    {"$toMillis('2017-11-07', '[Y0001]-[M01]-[D01]')", "1510012800000"},
    {"$toMillis('20171107', '[Y0001][M01][D01]')", "1510012800000"},
    {"$toMillis('7 November 2017', '[D] [MNn] [Y]')", "1510012800000"},
    {"$toMillis('7th November 2017', '[D1o] [MNn] [Y]')", "1510012800000"},
    {"$toMillis('Tuesday, 7th November 2017', '[FNn], [D1o] [MNn] [Y]')", "1510012800000"},
    {"$toMillis('11/7/2017 3:12 pm', '[M]/[D]/[Y] [h]:[m] [P]')", "1510067520000"},
    {"$toMillis('11/7/2017 12:05 am', '[M]/[D]/[Y] [h]:[m] [P]')", "1510013100000"},
    {"$toMillis('11/7/2017 12:05 PM', '[M]/[D]/[Y] [h]:[m] [P]')", "1510056300000"},
    {"$toMillis('2017-311', '[Y]-[d]')", "1510012800000"},
    {"$toMillis('2017-311 10:00', '[Y]-[d] [H]:[m]')", "ERR D3136"},
    {"$toMillis('15:12', '[H]:[m]')", "1767280320000"},
    {"$toMillis('12 15', '[M] [D]')", "1797292800000"},
    {"$toMillis('2017 15', '[Y] [H]')", "ERR D3136"},
    {"$toMillis('2017-W45-2', '[X]-W[W]-[F]')", "undefined"},
    {"$toMillis('2017-11-2', '[X]-[x]-[w]')", "ERR D3136"},
    {"$toMillis('MMXVII', '[YI]')", "1483228800000"},
    {"$toMillis('two thousand and seventeen', '[Yw]')", "1483228800000"},
    {"$toMillis('seventeen', '[Dw]')", "1768608000000"},
    {"$toMillis('AB', '[DA]')", "1769558400000"},
    {"$toMillis('2017-11-07T15:12:37+05:30', '[Y]-[M]-[D]T[H]:[m]:[s][Z]')", "1510047757000"},
    {"$toMillis('2017-11-07T15:12:37-05:30', '[Y]-[M]-[D]T[H]:[m]:[s][Z]')", "1510083757000"},
    {"$toMillis('2017-11-07T15:12:37+0530', '[Y]-[M]-[D]T[H]:[m]:[s][Z0000]')", "1510047757000"},
    {"$toMillis('2017-11-07T15:12:37-0800', '[Y]-[M]-[D]T[H]:[m]:[s][Z0000]')", "1510096357000"},
    {"$toMillis('2017-11-07T15:12:37+05', '[Y]-[M]-[D]T[H]:[m]:[s][Z0]')", "1510049557000"},
    {"$toMillis('2017-11-07 15:12 GMT+01:00', '[Y]-[M]-[D] [H]:[m] [z]')", "1510063920000"},
    {"$toMillis('2017-11-07 15:12 gmt-02:00', '[Y]-[M]-[D] [H]:[m] [z]')", "1510074720000"},
    {"$toMillis('nonsense', '[Y]')", "undefined"},
    {"$toMillis('2017', '[Y]')", "1483228800000"},
    {"$toMillis('JANUARY 5', '[MNn] [D]')", "1767571200000"},
    {"$toMillis('Nov 7 2017', '[MNn,*-3] [D] [Y]')", "1510012800000"},
    {"$toMillis('Tu 7 Nov', '[FNn,*-2] [D] [MNn,*-3]')", "1794009600000"},
    {"$toMillis('2017-11-07', '[Y]-[MN]-[D]')", "undefined"},
    {"$toMillis('2017-11-07', '[Y]-[M]-[DN]')", "ERR D3133"},
    {"$toMillis('x', '[Yb]')", "ERR D3130"},
    {"$toMillis('2017-11-07', '[Y]-[M]-[D')", "ERR D3135"},
    {"$toMillis('99-11-07', '[Y]-[M]-[D]')", "941932800000"},
    {"$toMillis('2017-11-07 AD', '[Y]-[M]-[D] [E]')", "ERR D3133"},
    {"$toMillis('2017-11-07 15.12', '[Y]-[M]-[D] [H].[m]')", "1510067520000"},
    {"$toMillis('2017-11-07T15:12:37.5', '[Y]-[M]-[D]T[H]:[m]:[s].[f]')", "1510067557005"},
    {"$toMillis('2017-13-07', '[Y]-[M]-[D]')", "1515283200000"},
    {"$toMillis('0:30 am', '[h]:[m] [P]')", "1767227400000"},
    {"$toMillis('12:30 pm', '[h]:[m] [P]')", "1767270600000"},
    {"$toMillis('[2017]', '[[[Y]]]')", "1483228800000"},
    {"$toMillis('2017-11-07', '[Y]-[M01]-[D01]')", "1510012800000"},
    {"$toMillis('2017117', '[Y0001][M#1][D01]')", "1484611200000"},
    {"$toMillis('17-11-07', '[Y01]-[M]-[D]')", "-1645747200000"},
    {"$toMillis('2017-11-07', '[Y\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0]-[M]-[D]')", "ERR RangeError"},
    {"$toMillis('2017-1-7', '[Y]-[M]-[D]')", "1483747200000"},
    {"$toMillis('2017-11-07', '')", "undefined"},
    {"$toMillis('T', 'T')", "undefined"},
    {"$toMillis('2017 - 11', '[Y] - [M]')", "1509494400000"},
    {"$toMillis('2017-11-07 3 pm', '[Y]-[M]-[D] [h] [P]')", "1510066800000"},
    {"$toMillis(5)", "ERR T0410"},
    {"$toMillis('2017', 5)", "ERR T0410"},
    {"$toMillis(missing, '[Y]')", "undefined"},
    {"$toMillis($fromMillis(1510067557121, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]'), "
     "'[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]') = 1510067557121",
     "true"},
    {"$toMillis($fromMillis(1767225600000, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]'), "
     "'[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]') = 1767225600000",
     "true"},
    {"$toMillis($fromMillis(951782400000, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]'), "
     "'[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]') = 951782400000",
     "true"},
    {"$toMillis($fromMillis(1510067557121, '[D1o] [MNn] [Y] [h]:[m01]:[s01].[f001] [PN]'), '[D1o] [MNn] [Y] "
     "[h]:[m01]:[s01].[f001] [PN]') = 1510067557121",
     "true"},
    {"$toMillis($fromMillis(1767225600000, '[D1o] [MNn] [Y] [h]:[m01]:[s01].[f001] [PN]'), '[D1o] [MNn] [Y] "
     "[h]:[m01]:[s01].[f001] [PN]') = 1767225600000",
     "true"},
    {"$toMillis($fromMillis(951782400000, '[D1o] [MNn] [Y] [h]:[m01]:[s01].[f001] [PN]'), '[D1o] [MNn] [Y] "
     "[h]:[m01]:[s01].[f001] [PN]') = 951782400000",
     "true"},
    {"$toMillis($fromMillis(1510067557121, '[FNn], [D] [MN,*-3] [Y] [H]:[m]:[s].[f] [z]'), '[FNn], [D] "
     "[MN,*-3] [Y] [H]:[m]:[s].[f] [z]') = 1510067557121",
     "ERR D3136"},
    {"$toMillis($fromMillis(1767225600000, '[FNn], [D] [MN,*-3] [Y] [H]:[m]:[s].[f] [z]'), '[FNn], [D] "
     "[MN,*-3] [Y] [H]:[m]:[s].[f] [z]') = 1767225600000",
     "ERR D3136"},
    {"$toMillis($fromMillis(951782400000, '[FNn], [D] [MN,*-3] [Y] [H]:[m]:[s].[f] [z]'), '[FNn], [D] "
     "[MN,*-3] [Y] [H]:[m]:[s].[f] [z]') = 951782400000",
     "ERR D3136"},
    {"$toMillis($fromMillis(1510067557121, '[Y0001][M01][D01][H01][m01][s01][f001][Z0000]'), "
     "'[Y0001][M01][D01][H01][m01][s01][f001][Z0000]') = 1510067557121",
     "false"},
    {"$toMillis($fromMillis(1767225600000, '[Y0001][M01][D01][H01][m01][s01][f001][Z0000]'), "
     "'[Y0001][M01][D01][H01][m01][s01][f001][Z0000]') = 1767225600000",
     "true"},
    {"$toMillis($fromMillis(951782400000, '[Y0001][M01][D01][H01][m01][s01][f001][Z0000]'), "
     "'[Y0001][M01][D01][H01][m01][s01][f001][Z0000]') = 951782400000",
     "true"},
    {"$toMillis($fromMillis(1510067557121, '[YI]-[M]-[D] [H]:[m]'), '[YI]-[M]-[D] [H]:[m]') = 1510067557121",
     "false"},
    {"$toMillis($fromMillis(1767225600000, '[YI]-[M]-[D] [H]:[m]'), '[YI]-[M]-[D] [H]:[m]') = 1767225600000",
     "true"},
    {"$toMillis($fromMillis(951782400000, '[YI]-[M]-[D] [H]:[m]'), '[YI]-[M]-[D] [H]:[m]') = 951782400000",
     "true"},
    {"$toMillis($fromMillis(1510067557121, '[Yw] [Mwo] [D]'), '[Yw] [Mwo] [D]') = 1510067557121", "false"},
    {"$toMillis($fromMillis(1767225600000, '[Yw] [Mwo] [D]'), '[Yw] [Mwo] [D]') = 1767225600000", "true"},
    {"$toMillis($fromMillis(951782400000, '[Yw] [Mwo] [D]'), '[Yw] [Mwo] [D]') = 951782400000", "true"},
    {"$toMillis($fromMillis(1510067557121, '[Y]-[M]-[D] [H]:[m]:[s].[f] [Z]', '+0530'), '[Y]-[M]-[D] "
     "[H]:[m]:[s].[f] [Z]')",
     "1510067557121"},
    {"$toMillis($fromMillis(1510067557121, '[Y]-[M]-[D] [H]:[m]:[s].[f] [Z]', '-0530'), '[Y]-[M]-[D] "
     "[H]:[m]:[s].[f] [Z]')",
     "1510063957121"},
    {"($t := $toMillis('2017-11-07T15:12:37.121Z'); $t = $t \? $t : 'NaN')", "1510067557121"},
    {"($t := $toMillis('2017-11-07T15:12:37'); $t = $t \? $t : 'NaN')", "1510067557000"},
    {"($t := $toMillis('2017'); $t = $t \? $t : 'NaN')", "1483228800000"},
    {"($t := $toMillis('2017-11'); $t = $t \? $t : 'NaN')", "1509494400000"},
    {"($t := $toMillis('2017-11-07'); $t = $t \? $t : 'NaN')", "1510012800000"},
    {"($t := $toMillis('2017.5'); $t = $t \? $t : 'NaN')", "1493596800000"},
    {"($t := $toMillis('2017-11.05'); $t = $t \? $t : 'NaN')", "1509840000000"},
    {"($t := $toMillis('2017.13'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"($t := $toMillis('2017-02-30'); $t = $t \? $t : 'NaN')", "1488412800000"},
    {"($t := $toMillis('2017-11-07T24:00:00'); $t = $t \? $t : 'NaN')", "1510099200000"},
    {"($t := $toMillis('2017-11-07T24:00:01'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"($t := $toMillis('2017-11-07T10:00:00+0100'); $t = $t \? $t : 'NaN')", "1510045200000"},
    {"($t := $toMillis('2017-11-07T10:00:00-05:30'); $t = $t \? $t : 'NaN')", "1510068600000"},
    {"($t := $toMillis('2017-11-07T10:00:00.123456'); $t = $t \? $t : 'NaN')", "1510048800123"},
    {"($t := $toMillis('2017-11-07Z'); $t = $t \? $t : 'NaN')", "1510012800000"},
    {"($t := $toMillis('2017-11-07+01:00'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"($t := $toMillis('2017-19-01'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"($t := $toMillis('2017T10:00:00Z'); $t = $t \? $t : 'NaN')", "1483264800000"},
    {"($t := $toMillis('0000-01-01'); $t = $t \? $t : 'NaN')", "-62167219200000"},
    {"($t := $toMillis('2017-11-07-08'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"($t := $toMillis('2017-11-07T10:00:00+24:00'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"($t := $toMillis('0099-11-29Z'); $t = $t \? $t : 'NaN')", "943833600000"},
    {"($t := $toMillis('0049.5'); $t = $t \? $t : 'NaN')", "2503440000000"},
    {"($t := $toMillis('1999-09.5-05:30'); $t = $t \? $t : 'NaN')", "936509400000"},
    {"($t := $toMillis('2016-0800'); $t = $t \? $t : 'NaN')", "\"NaN\""},
    {"$toMillis('2017-1')", "ERR D3110"},
    {"$toMillis('2017-11-07T10:00')", "ERR D3110"},
    {"$toMillis('yesterday')", "ERR D3110"},
    {"$toMillis('2017-11-07T10:00:00+01')", "ERR D3110"},
    {"$now()", "\"2026-01-01T00:00:00.000Z\""},
    {"$now('[Y0001]-[M01]-[D01] [H01]:[m01]')", "\"2026-01-01 00:00\""},
    {"$now('[FNn] [D1o] [MNn]', '-0500')", "\"Wednesday 31st December\""},
    {"$now(undefined, '+0100')", "\"2026-01-01T01:00:00.000+01:00\""},
    {"$now('[Y]', 'x')", "\"NaN\""},
    {"$now(5)", "ERR T0410"},
    {"$millis()", "1767225600000"},
    {"$toMillis($now()) = $millis()", "true"},
    {"$toMillis('10:30', '[H]:[m]') - $millis()", "37800000"},
};

/* Generated by tools/gen_jsonata_cases.js with jsonata-js 2.0.6, each on DOC_FOCUS (the Account and
 * library documents of docs.jsonata.org): focus @$v and index #$i bindings (with predicates, order-by,
 * grouping and nested paths), the parent operator % at several levels, and composition $f ~> $g. */
static const char *DOC_FOCUS =
    "{\"Account\":{\"Account Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product "
    "Name\":\"Bowler "
    "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
    "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
    "Name\":\"Trilby "
    "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
    "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
    "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
    "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
    "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
    "\"SKU\":\"0406654603\",\"Product "
    "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
    "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
    "Interpretation of Computer "
    "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":2}"
    ",{\"title\":\"The C Programming "
    "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,\"copies\":"
    "3},{\"title\":\"The AWK Programming "
    "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},{"
    "\"title\":\"Compilers: Principles, Techniques, and "
    "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
    "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"},"
    "{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
    "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
    "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
    "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
    "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
    "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
    "7WZ\"}}]}}";
static const jcase_t CASES_FOCUS[] = {
    {"Account.Order#$i.Product.{ 'i': $i, 'name': `Product Name` }",
     "[{\"i\":0,\"name\":\"Bowler Hat\"},{\"i\":0,\"name\":\"Trilby hat\"},{\"i\":1,\"name\":\"Bowler "
     "Hat\"},{\"i\":1,\"name\":\"Cloak\"}]"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn].{ 'title': $b.title, 'customer': $l.customer }",
     "[{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"customer\":\"10001\"},{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"customer\":\"10003\"},{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"customer\":\"10003\"}]"},
    {"Account.Order.Product.{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }",
     "[{\"Product\":\"Bowler Hat\",\"Order\":\"order103\",\"Account\":\"Firefly\"},{\"Product\":\"Trilby "
     "hat\",\"Order\":\"order103\",\"Account\":\"Firefly\"},{\"Product\":\"Bowler "
     "Hat\",\"Order\":\"order104\",\"Account\":\"Firefly\"},{\"Product\":\"Cloak\",\"Order\":\"order104\","
     "\"Account\":\"Firefly\"}]"},
    {"Account.Order#$o.Product#$p.[$o, $p, `Product Name`]",
     "[0,0,\"Bowler Hat\",0,1,\"Trilby hat\",1,0,\"Bowler Hat\",1,1,\"Cloak\"]"},
    {"Account.Order.Product#$i.{'i': $i, 'p': Price}",
     "[{\"i\":0,\"p\":34.45},{\"i\":1,\"p\":21.67},{\"i\":0,\"p\":34.45},{\"i\":1,\"p\":107.99}]"},
    {"Account.Order.Product#$i[Price > 30].[$i, `Product Name`]",
     "[0,\"Bowler Hat\",0,\"Bowler Hat\",1,\"Cloak\"]"},
    {"Account.Order.Product[Price > 30]#$i.[$i, `Product Name`]",
     "[0,\"Bowler Hat\",1,\"Bowler Hat\",2,\"Cloak\"]"},
    {"Account.Order.Product[Price > 30]#$i[0].`Product Name`", "\"Bowler Hat\""},
    {"Account.Order@$o.Product.{ 'o': $o.OrderID, 'p': `Product Name` }", "undefined"},
    {"Account.Order@$o.Product@$p.{ 'o': $o.OrderID, 'p': $p.`Product Name` }", "undefined"},
    {"library.loans@$L.books@$B[$L.isbn=$B.isbn].customers[id=$L.customer].{ 'book': $B.title, 'due': "
     "$L.return, 'customer': name }",
     "[{\"book\":\"Structure and Interpretation of Computer "
     "Programs\",\"due\":\"2016-12-05\",\"customer\":\"Joe Doe\"},{\"book\":\"Compilers: Principles, "
     "Techniques, and Tools\",\"due\":\"2016-10-22\",\"customer\":\"Jason Arthur\"},{\"book\":\"Structure "
     "and Interpretation of Computer Programs\",\"due\":\"2016-12-22\",\"customer\":\"Jason Arthur\"}]"},
    {"library.books#$i['Kernighan' in authors].{ 'title': title, 'index': $i }",
     "[{\"title\":\"The C Programming Language\",\"index\":1},{\"title\":\"The AWK Programming "
     "Language\",\"index\":2}]"},
    {"library.books#$i['Kernighan' in authors]#$j.{ 'index': $i, 'j': $j }",
     "[{\"index\":1,\"j\":0},{\"index\":2,\"j\":1}]"},
    {"library.books@$b.authors@$a.{ 'author': $a, 'title': $b.title }", "undefined"},
    {"library.books@$b.authors@$a^($a).{ 'author': $a, 'title': $b.title }", "undefined"},
    {"library.books@$b^($b.price)#$i.{'t': $b.title, 'i': $i}",
     "[{\"t\":\"Compilers: Principles, Techniques, and Tools\"},{\"t\":\"The C Programming "
     "Language\"},{\"t\":\"Structure and Interpretation of Computer Programs\"},{\"t\":\"The AWK Programming "
     "Language\"}]"},
    {"library.books^(price)#$i.{'t': title, 'i': $i}",
     "[{\"t\":\"Compilers: Principles, Techniques, and Tools\",\"i\":0},{\"t\":\"The C Programming "
     "Language\",\"i\":1},{\"t\":\"Structure and Interpretation of Computer Programs\",\"i\":2},{\"t\":\"The "
     "AWK Programming Language\",\"i\":3}]"},
    {"library.books^(>copies)#$i[$i < 2].title",
     "[\"The C Programming Language\",\"Structure and Interpretation of Computer Programs\"]"},
    {"library.(books@$b.authors)", "undefined"},
    {"library.books@$b.authors{ $: $b.title }", "ERR TypeError"},
    {"library.books@$b.authors{ $: $count($b) }", "ERR TypeError"},
    {"library.books@$b.authors@$a{ $a: $b.title }", "ERR TypeError"},
    {"library.books#$i{ title: $i }",
     "{\"Structure and Interpretation of Computer Programs\":0,\"The C Programming Language\":1,\"The AWK "
     "Programming Language\":2,\"Compilers: Principles, Techniques, and Tools\":3}"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn]{ $l.customer: $b.title }",
     "{\"10001\":\"Structure and Interpretation of Computer Programs\",\"10003\":[\"Compilers: Principles, "
     "Techniques, and Tools\",\"Structure and Interpretation of Computer Programs\"]}"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn]{ $l.customer: $count($b) }", "{\"10001\":1,\"10003\":2}"},
    {"Account.Order.Product.%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product.%",
     "[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]},{\"OrderID\":\"order104\",\"Product\":[{\"Product "
     "Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]"},
    {"Account.Order.Product.%.%.`Account Name`", "[\"Firefly\",\"Firefly\",\"Firefly\",\"Firefly\"]"},
    {"Account.Order.Product.(%.OrderID & '/' & `Product Name`)",
     "[\"order103/Bowler Hat\",\"order103/Trilby hat\",\"order104/Bowler Hat\",\"order104/Cloak\"]"},
    {"Account.Order.Product[%.OrderID = 'order104'].`Product Name`", "[\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.Product[Price > 30].%.OrderID", "[\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product^(%.OrderID, Price).`Product Name`",
     "[\"Trilby hat\",\"Bowler Hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.Product^(>%.OrderID).{'o': %.OrderID, 'n': `Product Name`}", "ERR S0217"},
    {"Account.Order.Product.Description.%.%.OrderID",
     "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product{ %.OrderID: $sum(Price) }", "{}"},
    {"Account.Order.Product.{ 'a': %.OrderID, 'b': %.OrderID }",
     "[{\"a\":\"order103\",\"b\":\"order103\"},{\"a\":\"order103\",\"b\":\"order103\"},{\"a\":\"order104\","
     "\"b\":\"order104\"},{\"a\":\"order104\",\"b\":\"order104\"}]"},
    {"Account.Order.*.%.OrderID",
     "[\"order103\",\"order103\",\"order103\",\"order104\",\"order104\",\"order104\"]"},
    {"Account.Order.(Product).%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product.Description.{'w': Weight, 'p': %.`Product Name`, 'o': %.%.OrderID}",
     "[{\"w\":0.75,\"p\":\"Bowler Hat\",\"o\":\"order103\"},{\"w\":0.6,\"p\":\"Trilby "
     "hat\",\"o\":\"order103\"},{\"w\":0.75,\"p\":\"Bowler "
     "Hat\",\"o\":\"order104\"},{\"w\":2,\"p\":\"Cloak\",\"o\":\"order104\"}]"},
    {"%", "ERR S0217"},
    {"%.x", "ERR S0217"},
    {"Account.%",
     "{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}}"},
    {"$.%", "ERR S0217"},
    {"Account.($x := %; $x)",
     "{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}}"},
    {"$sum(Account.Order.Product.(Price * %.%.Order[0].Product[0].Quantity))", "397.12"},
    {"Account.Order.Product.[%.OrderID]", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product.{ 'k': function(){ %.OrderID }() }", "[{},{},{},{}]"},
    {"Account.Order#$i@$o.Product.$o", "undefined"},
    {"Account.Order@$o#$i.Product.{'i': $i, 'o': $o.OrderID}", "undefined"},
    {"Account.Order[0]@$o", "ERR S0215"},
    {"Account.Order@$o[0].$o.OrderID", "\"order103\""},
    {"Account.Order@$o^(OrderID)",
     "[{\"Account Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product "
     "Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]}]"},
    {"Account.Order@1", "ERR S0214"},
    {"Account.Order#x", "ERR S0214"},
    {"Account.Order@$o.Product.$o.OrderID", "undefined"},
    {"Account.Order@$o",
     "[{\"Account Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product "
     "Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]}]"},
    {"Account.Order#$i",
     "[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]"},
    {"Account.Order#$i.$i", "[0,1]"},
    {"[1,2,3]#$i.{'i': $i, 'v': $}", "[{\"v\":1},{\"v\":2},{\"v\":3}]"},
    {"[1,2,3]@$v.$v", "undefined"},
    {"Account.Order@$o.$count($o.Product)", "[2,2]"},
    {"nothing@$x{'a': 1}", "ERR TypeError"},
    {"nothing#$i", "undefined"},
    {"Account.Order@$o.nothing", "undefined"},
    {"library.books[price > 30]@$b.title", "ERR S0215"},
    {"library.books@$b[]",
     "[{\"books\":[{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]},{\"books\":[{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]},{\"books\":[{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]},{\"books\":[{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}]"},
    {"library.books@$b.title[]", "undefined"},
    {"library.books#$i.title[]",
     "[\"Structure and Interpretation of Computer Programs\",\"The C Programming Language\",\"The AWK "
     "Programming Language\",\"Compilers: Principles, Techniques, and Tools\"]"},
    {"library.(books@$b)[0]",
     "{\"books\":[{\"title\":\"Structure and Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}"},
    {"($f := $uppercase ~> $trim; $f('  ab  '))", "\"AB\""},
    {"($f := function($x){$x * 2} ~> function($x){$x + 1}; $f(5))", "11"},
    {"($f := function($x){$x * 2} ~> function($x){$x + 1}; $map([1,2,3], $f))", "[3,5,7]"},
    {"$map([1,2,3], function($x){$x * 2} ~> function($x){$x + 1})", "[3,5,7]"},
    {"($g := $string ~> $length ~> function($n){$n * 10}; $g(12345))", "50"},
    {"($f := $sum ~> $string; $f([1,2,3]))", "\"6\""},
    {"($f := $uppercase ~> $lowercase; $type($f))", "\"function\""},
    {"($f := $uppercase ~> 5; $f)", "ERR T2006"},
    {"(5 ~> $uppercase ~> $lowercase)", "ERR T0410"},
    {"('ab' ~> ($uppercase ~> function($s){$s & '!'}))", "\"AB!\""},
    {"($c := $uppercase ~> $trim; $c())", "undefined"},
    {"($c := $uppercase ~> $trim; $c('a', 'b'))", "\"A\""},
    {"($f := $substringBefore(\?, '-') ~> $uppercase; $f('ab-cd'))", "\"AB\""},
    {"($f := $uppercase ~> $substringBefore(\?, 'B'); $f('abc'))", "\"A\""},
    {"($f := $uppercase ~> $substring(\?, 1); $f('abc'))", "\"BC\""},
    {"$map(['a', 'b'], $uppercase ~> function($s){$s & $s})", "[\"AA\",\"BB\"]"},
    {"$filter([1,2,3,4], function($x){$x} ~> function($x){$x > 2})", "[3,4]"},
    {"($f := $uppercase ~> $lowercase; ($f ~> $uppercase)('Ab'))", "\"AB\""},
    {"($f := $count ~> $string; Account.Order.$f(Product))", "[\"2\",\"2\"]"},
    {"$string($uppercase ~> $lowercase)", "\"\""},
    {"Account.Order.(Product.%.OrderID)", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.(Product).%",
     "[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]},{\"OrderID\":\"order104\",\"Product\":[{\"Product "
     "Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]"},
    {"Account.Order.($p := Product; $p).%", "ERR S0217"},
    {"Account.Order.(Product.Description).%.`Product Name`",
     "[\"Bowler Hat\",\"Trilby hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.(Product.Description).%.%.OrderID",
     "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product.Description.(%.%.OrderID)",
     "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product[Description[%.%.OrderID = 'order103'].Width > 0].`Product Name`", "undefined"},
    {"Account.Order.Product[Description.Weight > %.Price / 100].`Product Name`", "undefined"},
    {"Account.Order.Product.{ 'x': Description.{ 'c': Colour, 'o': %.%.OrderID } }",
     "[{\"x\":{\"c\":\"Purple\",\"o\":\"order103\"}},{\"x\":{\"c\":\"Orange\",\"o\":\"order103\"}},{\"x\":{"
     "\"c\":\"Purple\",\"o\":\"order104\"}},{\"x\":{\"c\":\"Black\",\"o\":\"order104\"}}]"},
    {"Account.Order.Product.Description.[Colour, %.`Product Name`, %.%.OrderID, %.%.%.`Account Name`]",
     "[\"Purple\",\"Bowler Hat\",\"order103\",\"Firefly\",\"Orange\",\"Trilby "
     "hat\",\"order103\",\"Firefly\",\"Purple\",\"Bowler "
     "Hat\",\"order104\",\"Firefly\",\"Black\",\"Cloak\",\"order104\",\"Firefly\"]"},
    {"Account.**.%", "ERR S0217"},
    {"Account.Order.Product.$lowercase(%.OrderID)", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product.$lowercase(`Product Name`).%", "ERR S0217"},
    {"Account.Order.Product.[1,2].%", "ERR S0217"},
    {"Account.Order.Product.Price.%.`Product Name`",
     "[\"Bowler Hat\",\"Trilby hat\",\"Bowler Hat\",\"Cloak\"]"},
    {"Account.Order.Product.Price[%.Quantity > 1].%.`Product Name`", "[\"Bowler Hat\",\"Bowler Hat\"]"},
    {"Account.Order.Product#$i.%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product@$p.%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order@$o.Product.%.OrderID", "undefined"},
    {"Account.Order.Product^(Price)[0].%.OrderID", "ERR S0217"},
    {"Account.Order.Product{ `Product Name`: %.OrderID }", "{}"},
    {"Account.Order.Product{ `Product Name`: $count(%) }", "{\"Bowler Hat\":0,\"Trilby hat\":0,\"Cloak\":0}"},
    {"Account.Order.Product{ 'x': % }", "{}"},
    {"Account.Order.Product@$p{ $p.SKU: $p.Price }",
     "{\"0406654608\":34.45,\"0406634348\":21.67,\"040657863\":34.45,\"0406654603\":107.99}"},
    {"Account.Order#$i.Product{ $string($i): $sum(Price) }", "{\"0\":56.120000000000005,\"1\":142.44}"},
    {"Account.Order#$i.Product{ $string($i): $count($i) }", "{\"0\":2,\"1\":2}"},
    {"Account.Order@$o.Product@$p{ $o.OrderID: $p.`Product Name` }", "ERR TypeError"},
    {"Account.Order@$o.Product@$p{ $o.OrderID: $count($o) }", "ERR TypeError"},
    {"Account.Order.Product{ %.OrderID: Price }", "{}"},
    {"$$.Account.Order#$i.OrderID", "[\"order103\",\"order104\"]"},
    {"$.Account.Order#$i.$i", "[0,1]"},
    {"(Account.Order@$o).Product", "undefined"},
    {"Account.Order@$o.(Product.$o.OrderID)", "undefined"},
    {"Account.Order@$o.Product.($x := $o.OrderID; `Product Name` & '@' & $x)", "undefined"},
    {"Account.Order@$o.Product[$o.OrderID = 'order104'].`Product Name`", "undefined"},
    {"Account.Order@$o.Product@$p[$p.Price > 30][$o.OrderID = 'order103'].$p.SKU", "undefined"},
    {"Account.Order#$i.Product#$j[$j = 1].[$i, $j]", "[0,1,1,1]"},
    {"Account.Order.Product#$i^(Price).{'i': $i, 'p': Price}",
     "[{\"i\":1,\"p\":21.67},{\"i\":0,\"p\":34.45},{\"i\":0,\"p\":34.45},{\"i\":1,\"p\":107.99}]"},
    {"Account.Order.Product^(Price)#$i.{'i': $i, 'p': Price}",
     "[{\"i\":0,\"p\":21.67},{\"i\":1,\"p\":34.45},{\"i\":2,\"p\":34.45},{\"i\":3,\"p\":107.99}]"},
    {"Account.Order.Product^(>Price)#$i[$i > 0]#$j.{'i': $i, 'j': $j, 'p': Price}",
     "[{\"i\":1,\"j\":0,\"p\":34.45},{\"i\":2,\"j\":1,\"p\":34.45},{\"i\":3,\"j\":2,\"p\":21.67}]"},
    {"Account.Order.Product[0]#$i.{'i': $i, 'p': `Product Name`}", "{\"i\":0,\"p\":\"Bowler Hat\"}"},
    {"Account.Order.Product[Price < 100][0]#$i.$i", "0"},
    {"Account.Order@$o.Product^($o.OrderID, >Price).[$o.OrderID, Price]", "undefined"},
    {"$count(Account.Order.Product@$p.$p)", "4"},
    {"Account.Order.Product#$i.Price", "[34.45,21.67,34.45,107.99]"},
    {"Account.Order.Product@$p.$p.Price", "[34.45,21.67,34.45,107.99]"},
    {"Account.Order.Product#$i.{'i': $i}.i", "[0,1,0,1]"},
    {"[Account.Order.Product#$i.$i]", "[0,1,0,1]"},
    {"Account.Order#$i[$i = 1].OrderID", "\"order104\""},
    {"Account.Order#$i[1].OrderID", "\"order104\""},
    {"Account.Order#$i[-1].$i", "1"},
    {"Account.Order.Product#$i[[0, 2]].$i", "[0,0]"},
    {"Account.Order.Product{ $string(%.OrderID): `Product Name` }", "{}"},
    {"library.books@$b.$b.title",
     "[\"Structure and Interpretation of Computer Programs\",\"The C Programming Language\",\"The AWK "
     "Programming Language\",\"Compilers: Principles, Techniques, and Tools\"]"},
    {"library.books@$b.title", "undefined"},
    {"library.loans@$l.books[$l.isbn = isbn].{'t': title, 'c': $l.customer}",
     "[{\"t\":\"Structure and Interpretation of Computer Programs\",\"c\":\"10001\"},{\"t\":\"Compilers: "
     "Principles, Techniques, and Tools\",\"c\":\"10003\"},{\"t\":\"Structure and Interpretation of Computer "
     "Programs\",\"c\":\"10003\"}]"},
    {"library.loans@$l.books[$l.isbn = isbn]@$b.$b.title", "ERR S0215"},
    {"library.loans@$l.(books[isbn = $l.isbn]).title",
     "[\"Structure and Interpretation of Computer Programs\",\"Compilers: Principles, Techniques, and "
     "Tools\",\"Structure and Interpretation of Computer Programs\"]"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn].customers@$c[$c.id=$l.customer].{'who': $c.name, 'what': "
     "$b.title, 'i': 0}",
     "[{\"who\":\"Joe Doe\",\"what\":\"Structure and Interpretation of Computer "
     "Programs\",\"i\":0},{\"who\":\"Jason Arthur\",\"what\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"i\":0},{\"who\":\"Jason Arthur\",\"what\":\"Structure and Interpretation of Computer "
     "Programs\",\"i\":0}]"},
    {"library.loans#$i@$l.books@$b[$l.isbn=$b.isbn].{'i': $i, 't': $b.title}",
     "[{\"i\":0,\"t\":\"Structure and Interpretation of Computer Programs\"},{\"i\":1,\"t\":\"Compilers: "
     "Principles, Techniques, and Tools\"},{\"i\":2,\"t\":\"Structure and Interpretation of Computer "
     "Programs\"}]"},
    {"library.books.authors.%.title",
     "[\"Structure and Interpretation of Computer Programs\",\"Structure and Interpretation of Computer "
     "Programs\",\"The C Programming Language\",\"The C Programming Language\",\"The AWK Programming "
     "Language\",\"The AWK Programming Language\",\"The AWK Programming Language\",\"Compilers: Principles, "
     "Techniques, and Tools\",\"Compilers: Principles, Techniques, and Tools\",\"Compilers: Principles, "
     "Techniques, and Tools\",\"Compilers: Principles, Techniques, and Tools\"]"},
    {"library.books.authors[$ = 'Aho'].%.title",
     "[\"The AWK Programming Language\",\"Compilers: Principles, Techniques, and Tools\"]"},
    {"library.books[%.loans.isbn = isbn].title", "undefined"},
    {"library.books.%.loans.customer", "[\"10001\",\"10003\",\"10003\",\"10001\",\"10003\",\"10003\","
                                       "\"10001\",\"10003\",\"10003\",\"10001\",\"10003\",\"10003\"]"},
    {"Account.Order.Product.%.%.%",
     "[{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}},{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}},{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}},{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}}]"},
    {"Account.Order.Product.%.%.%.%", "ERR S0217"},
    {"$map(Account.Order.Product.%.OrderID, $uppercase ~> function($s){$s & '!'})",
     "[\"ORDER103!\",\"ORDER103!\",\"ORDER104!\",\"ORDER104!\"]"},
    {"($f := function($x){$x.Price} ~> function($p){$p * 2}; Account.Order.Product.$f($))",
     "[68.9,43.34,68.9,215.98]"},
    {"($f := $uppercase ~> $trim; $g := $f ~> $length; $g(' abc '))", "3"},
    {"($inc := function($x){$x+1}; $f := $inc ~> $inc ~> $inc; $f(1))", "4"},
    {"($f := $append(\?, [9]) ~> $count; $f([1,2]))", "3"},
    {"($f := $uppercase ~> $lowercase; $f ~> $f)('X')", "\"x\""},
    {"[1, 2] ~> $map(\?, function($x){$x * 3})", "[3,6]"},
    {"'a-b' ~> $substringBefore(\?, '-')", "\"a\""},
    {"($f := \xce\xbb($x){$x} ~> \xce\xbb($x){[$x, $x]}; $f(1))", "[1,1]"},
    {"($f := $keys ~> $count; $f({'a': 1, 'b': 2}))", "2"},
    {"$reduce([1,2,3], function($a, $b){$a + $b} ~> function($x){$x})", "ERR D3050"},
    {"$sort([3,1,2], function($a,$b){$a > $b}) ~> $reverse", "[3,2,1]"},
    {"($f := $uppercase ~> $nope; $f('a'))", "ERR T2006"},
    {"($f := $nope ~> $uppercase; $f)", "undefined"},
    {"($fs := Account.Order@$o.Product.function(){ $o.OrderID & ':' & `Product Name` }; $fs[2]())",
     "ERR T1006"},
    {"($fs := Account.Order.Product.function(){ %.OrderID }; $fs[0]())", "undefined"},
    {"Account.Order.Product.(function($x){ %.OrderID & $x })('!')", "[\"!\",\"!\",\"!\",\"!\"]"},
    {"Account.Order.(Product@$p.Description).$p.SKU", "undefined"},
    {"Account.Order.(Product@$p).$p.SKU", "undefined"},
    {"Account.Order.($x := 1; Product#$i).$i", "undefined"},
    {"Account.Order.(Product#$i).%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.(Product#$i.Description).%.%.OrderID",
     "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.(Product.Description)[%.Price > 30].%.SKU",
     "[\"0406654608\",\"040657863\",\"0406654603\"]"},
    {"Account.Order.Product.(Description)[%.Price > 30].Colour", "[\"Purple\",\"Purple\",\"Black\"]"},
    {"$string(Account.Order@$o.Product@$p.[$o.OrderID, $p.SKU])", "undefined"},
    {"Account.Order.Product@$p.$p{ SKU: Price }",
     "{\"0406654608\":34.45,\"0406634348\":21.67,\"040657863\":34.45,\"0406654603\":107.99}"},
    {"Account.Order@$o.Product@$p.{ 'o': $o.OrderID } ~> $count", "0"},
    {"[Account.Order@$o.Product.$o][]", "[]"},
    {"Account.Order@$o.Product.$o[]", "undefined"},
    {"Account.Order@$o[].$o.OrderID", "[\"order103\",\"order104\"]"},
    {"Account.Order.Product@$p#$i.{'i': $i, 'p': $p.SKU}",
     "[{\"i\":0,\"p\":\"0406654608\"},{\"i\":1,\"p\":\"0406634348\"},{\"i\":0,\"p\":\"040657863\"},{\"i\":1,"
     "\"p\":\"0406654603\"}]"},
    {"Account.Order.Product@$p#$i.$i", "[0,1,0,1]"},
    {"Account.Order.Product[Price>30]@$p", "ERR S0215"},
    {"Account.Order.Product^(Price)@$p", "ERR S0216"},
    {"Account.Order.Product@$p@$q.$q.SKU", "[\"0406654608\",\"0406634348\",\"040657863\",\"0406654603\"]"},
    {"Account.Order.Product@$p.Description@$d.[$p.SKU, $d.Colour]", "undefined"},
    {"Account.Order.Product@$p.Description@$d.%.OrderID", "undefined"},
    {"Account.Order.Product@$p.Description.%.OrderID", "undefined"},
    {"Account.Order@$o.Product@$p.%", "undefined"},
    {"Account.Order@$o.Product@$p.Description.%.`Product Name`", "undefined"},
    {"Account.%.%", "ERR S0217"},
    {"($a := Account; $a.Order.Product.%.OrderID)", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"$.Account.Order.Product.%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"Account.Order.Product.`Product Name`.%.%.OrderID",
     "[\"order103\",\"order103\",\"order104\",\"order104\"]"},
    {"$sum(Account.Order.Product.(Price * Quantity)) = $sum(Account.Order.Product.(Price * "
     "%.Product[0].Quantity))",
     "false"},
    {"Account.Order.Product.{'n': `Product Name`, 'siblings': $count(%.Product)}",
     "[{\"n\":\"Bowler Hat\",\"siblings\":2},{\"n\":\"Trilby hat\",\"siblings\":2},{\"n\":\"Bowler "
     "Hat\",\"siblings\":2},{\"n\":\"Cloak\",\"siblings\":2}]"},
    {"Account.Order.Product[`Product Name` = 'Cloak'].%.%.`Account Name`", "\"Firefly\""},
    {"Account.Order.Product{ %.%.`Account Name`: Price }", "{}"},
    {"Account.Order.Product{ 'k': $sum(Price) }.k", "{}"},
    {"Account.Order.Product#$i{ $string($i): `Product Name` }",
     "{\"0\":[\"Bowler Hat\",\"Bowler Hat\"],\"1\":[\"Trilby hat\",\"Cloak\"]}"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn]^($l.return).{'r': $l.return, 't': $b.title}",
     "[{\"r\":\"2016-10-22\",\"t\":\"Compilers: Principles, Techniques, and "
     "Tools\"},{\"r\":\"2016-12-05\",\"t\":\"Structure and Interpretation of Computer "
     "Programs\"},{\"r\":\"2016-12-22\",\"t\":\"Structure and Interpretation of Computer Programs\"}]"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn]^(>$b.title, $l.customer)#$n.{'n': $n, 'c': $l.customer}",
     "[{\"c\":\"10001\"},{\"c\":\"10003\"},{\"c\":\"10003\"}]"},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn][1].$l.customer", "\"10003\""},
    {"library.loans@$l.books@$b[$l.isbn=$b.isbn][-1].$b.title",
     "\"Structure and Interpretation of Computer Programs\""},
    {"library.books@$b.authors[0]", "undefined"},
    {"library.books@$b.$b.authors[0]", "\"Abelson\""},
    {"library.books.authors#$i[$i=0]", "[\"Abelson\",\"Kernighan\",\"Aho\",\"Aho\"]"},
    {"library.books@$b.($b.authors)#$i.{'a': $, 'i': $i}",
     "[{\"a\":\"Abelson\",\"i\":0},{\"a\":\"Sussman\",\"i\":1},{\"a\":\"Kernighan\",\"i\":0},{\"a\":"
     "\"Richie\",\"i\":1},{\"a\":\"Aho\",\"i\":0},{\"a\":\"Kernighan\",\"i\":1},{\"a\":\"Weinberger\",\"i\":"
     "2},{\"a\":\"Aho\",\"i\":0},{\"a\":\"Lam\",\"i\":1},{\"a\":\"Sethi\",\"i\":2},{\"a\":\"Ullman\",\"i\":3}"
     "]"},
    {"library.books#$i.authors#$j.[$i, $j]", "[0,0,0,1,1,0,1,1,2,0,2,1,2,2,3,0,3,1,3,2,3,3]"},
    {"library.books#$i.authors#$j[$j > 1].[$i, $j, $]", "[2,2,\"Weinberger\",3,2,\"Sethi\",3,3,\"Ullman\"]"},
    {"$map(library.books#$i.$i, function($v){$v * 10})", "[0,10,20,30]"},
    {"library.books.$count(authors)#$i.{'i': $i}", "[{\"i\":0},{\"i\":0},{\"i\":0},{\"i\":0}]"},
    {"library.books@$b.[1,2]", "[1,2,1,2,1,2,1,2]"},
    {"library.books@$b.[1,2].$b.copies", "[2,2,3,3,1,1,1,1]"},
    {"[1,2]@$x.[3,4].$x", "undefined"},
    {"[[1,2],[3]]#$i.{'i': $i, 'v': $}", "[{\"v\":[1,2]},{\"v\":3}]"},
    {"library.books[copies > 1]#$i.title",
     "[\"Structure and Interpretation of Computer Programs\",\"The C Programming Language\"]"},
    {"library.(books#$i).$i", "undefined"},
    {"%.%", "ERR S0217"},
    {"Account.Order.Product.%.%.%.%.%", "ERR S0217"},
    {"Account@$a.Order.%", "undefined"},
    {"Account.Order[%.`Account Name` = 'Firefly'].OrderID", "[\"order103\",\"order104\"]"},
    {"Account.Order.Product[%.%.`Account Name` = 'Firefly'][0].SKU", "\"0406654608\""},
    {"Account.Order.($p := Product; $p.Description).%.SKU",
     "[\"0406654608\",\"0406634348\",\"040657863\",\"0406654603\"]"},
    {"Account.Order.($p := Product; $p.Description#$i).%.SKU",
     "[\"0406654608\",\"0406634348\",\"040657863\",\"0406654603\"]"},
    {"Account.Order@$o.($o.Product.Description).%.SKU",
     "[\"0406654608\",\"0406634348\",\"040657863\",\"0406654603\"]"},
    {"$map(Account.Order@$o.$o.Product.function(){$o.OrderID & `Product Name`}, function($g){$g()})",
     "[\"order103Bowler Hat\",\"order103Trilby hat\",\"order104Bowler Hat\",\"order104Cloak\"]"},
    {"$map(Account.Order.Product.function(){%.OrderID}, function($g){$g()})", "undefined"},
    {"($fs := Account.Order#$i.Product.function(){ $i }; $map($fs, function($g){ $g() }))", "[0,0,1,1]"},
    {"Account.Order.Product^(Price)[]",
     "[{\"Product Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1},{\"Product "
     "Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]"},
    {"Account.Order.Product^(Price)[0][]",
     "[{\"Product Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]"},
    {"[3,1,2]^($)", "[1,2,3]"},
    {"[3,1,2]^(>$)[0]", "3"},
    {"$^(x)",
     "{\"Account\":{\"Account "
     "Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"0406654608\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":2},{\"Product "
     "Name\":\"Trilby "
     "hat\",\"ProductID\":858236,\"SKU\":\"0406634348\",\"Description\":{\"Colour\":\"Orange\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.6},\"Price\":21.67,\"Quantity\":1}]},{\"OrderID\":"
     "\"order104\",\"Product\":[{\"Product Name\":\"Bowler "
     "Hat\",\"ProductID\":858383,\"SKU\":\"040657863\",\"Description\":{\"Colour\":\"Purple\",\"Width\":300,"
     "\"Height\":200,\"Depth\":210,\"Weight\":0.75},\"Price\":34.45,\"Quantity\":4},{\"ProductID\":345664,"
     "\"SKU\":\"0406654603\",\"Product "
     "Name\":\"Cloak\",\"Description\":{\"Colour\":\"Black\",\"Width\":30,\"Height\":20,\"Depth\":210,"
     "\"Weight\":2},\"Price\":107.99,\"Quantity\":1}]}]},\"library\":{\"books\":[{\"title\":\"Structure and "
     "Interpretation of Computer "
     "Programs\",\"authors\":[\"Abelson\",\"Sussman\"],\"isbn\":\"9780262510875\",\"price\":38.9,\"copies\":"
     "2},{\"title\":\"The C Programming "
     "Language\",\"authors\":[\"Kernighan\",\"Richie\"],\"isbn\":\"9780131103627\",\"price\":33.59,"
     "\"copies\":3},{\"title\":\"The AWK Programming "
     "Language\",\"authors\":[\"Aho\",\"Kernighan\",\"Weinberger\"],\"isbn\":\"9780201079814\",\"copies\":1},"
     "{\"title\":\"Compilers: Principles, Techniques, and "
     "Tools\",\"authors\":[\"Aho\",\"Lam\",\"Sethi\",\"Ullman\"],\"isbn\":\"9780201100884\",\"price\":23.38,"
     "\"copies\":1}],\"loans\":[{\"customer\":\"10001\",\"isbn\":\"9780262510875\",\"return\":\"2016-12-05\"}"
     ",{\"customer\":\"10003\",\"isbn\":\"9780201100884\",\"return\":\"2016-10-22\"},{\"customer\":\"10003\","
     "\"isbn\":\"9780262510875\",\"return\":\"2016-12-22\"}],\"customers\":[{\"id\":\"10001\",\"name\":\"Joe "
     "Doe\",\"address\":{\"street\":\"2 Long Road\",\"city\":\"Winchester\",\"postcode\":\"SO22 "
     "5PU\"}},{\"id\":\"10002\",\"name\":\"Fred Bloggs\",\"address\":{\"street\":\"56 Letsby "
     "Avenue\",\"city\":\"Winchester\",\"postcode\":\"SO22 4WD\"}},{\"id\":\"10003\",\"name\":\"Jason "
     "Arthur\",\"address\":{\"street\":\"1 Preddy Gardens\",\"city\":\"Southampton\",\"postcode\":\"SO36 "
     "7WZ\"}}]}}"},
    {"Account.Order.Product^(Price).`Product Name`^($)",
     "[\"Bowler Hat\",\"Bowler Hat\",\"Cloak\",\"Trilby hat\"]"},
    {"Account.Order.Product^(Price){`Product Name`: Price}",
     "{\"Trilby hat\":21.67,\"Bowler Hat\":[34.45,34.45],\"Cloak\":107.99}"},
    {"(Account.Order.Product)^(>Price).SKU", "[\"0406654603\",\"0406654608\",\"040657863\",\"0406634348\"]"},
    {"Account.Order.Product.Price^($)", "[21.67,34.45,34.45,107.99]"},
    {"Account.Order.Product.(Price)^($)#$i.[$, $i]", "[21.67,0,34.45,1,34.45,2,107.99,3]"},
    {"Account.Order^(>OrderID).Product^(Price)#$i.{'o': %.OrderID, 'i': $i}", "ERR S0217"},
    {"Account.Order.Product@$p^($p.Price).$p.SKU",
     "[\"0406634348\",\"0406654608\",\"040657863\",\"0406654603\"]"},
    {"Account.Order.Product#$i^(>$i).[$i, SKU]",
     "[1,\"0406634348\",1,\"0406654603\",0,\"0406654608\",0,\"040657863\"]"},
    {"Account.Order.Product[0]^(Price).SKU", "[\"0406654608\",\"040657863\"]"},
    {"Account.Order.Product^(Price)[-1].%.OrderID", "ERR S0217"},
    {"$sort(Account.Order.Product#$i.{'i': $i, 'p': Price}, function($a, $b){$a.p > $b.p}).i", "[1,0,0,1]"},
    {"Account.Order.Product^(Quantity, >Price)#$i[$i < 3].{'i': $i, 'o': %.OrderID}", "ERR S0217"},
    {"Account.Order.Product^(%.%.`Account Name`, Price).SKU",
     "[\"0406634348\",\"0406654608\",\"040657863\",\"0406654603\"]"},
    {"Account.Order.Product{%.OrderID: Price}^($)", "ERR T2008"},
    {"Account.Order#$i.Product^(Price).{'i': $i, 's': SKU}",
     "[{\"i\":0,\"s\":\"0406634348\"},{\"i\":0,\"s\":\"0406654608\"},{\"i\":1,\"s\":\"040657863\"},{\"i\":1,"
     "\"s\":\"0406654603\"}]"},
    {"Account.Order@$o.$o.Product^(>Price)@$p.$p", "ERR S0216"},
    {"Account.Order.Product@$p.$p^(Price).SKU",
     "[\"0406634348\",\"0406654608\",\"040657863\",\"0406654603\"]"},
};

static int check(const char *doc_text, const jcase_t *c, char *why, size_t n) {
    cJSON *doc = cJSON_Parse(doc_text);
    jn_err_t e;
    cJSON *out = NULL;
    int rc = -1;
    jn_expr_t *x = jn_parse(c->expr, &e);
    if (x) {
        jn_ctx_t ctx = {.now_ms = TEST_EPOCH_MS, .input = doc};
        rc = jn_eval(x, &ctx, &out, &e);
    }
    int ok;
    if (!strncmp(c->want, "ERR ", 4)) {
        ok = (!x || rc) && !strcmp(e.code, c->want + 4);
        snprintf(why, n, "%s: want %s, got %s %s", c->expr, c->want, x && !rc ? "value" : e.code, e.message);
    } else if (!x || rc) {
        ok = 0;
        snprintf(why, n, "%s: want %s, got error %s %s", c->expr, c->want, e.code, e.message);
    } else if (!strcmp(c->want, "undefined")) {
        ok = out == NULL;
        snprintf(why, n, "%s: want undefined, got a value", c->expr);
    } else {
        cJSON *want = cJSON_Parse(c->want);
        ok = out && cJSON_Compare(out, want, 1);
        char *got = out ? cJSON_PrintUnformatted(out) : strdup("undefined");
        snprintf(why, n, "%s: want %s, got %s", c->expr, c->want, got);
        free(got);
        cJSON_Delete(want);
    }
    cJSON_Delete(out);
    jn_free(x);
    cJSON_Delete(doc);
    return ok;
}

static void run_table(const char *doc, const jcase_t *cases, size_t n) {
    int failed = 0;
    char why[1024];
    for (size_t i = 0; i < n; i++)
        if (!check(doc, &cases[i], why, sizeof why)) {
            cr_log_error("%s", why);
            failed++;
        }
    cr_assert_eq(failed, 0, "%d of %zu reference cases differ from jsonata-js", failed, n);
}

Test(jsonata, reference_cases_paths_functions) {
    run_table(DOC1, CASES1, sizeof CASES1 / sizeof *CASES1);
}

Test(jsonata, reference_cases_grouping_lambdas_edge_values) {
    run_table(DOC2, CASES2, sizeof CASES2 / sizeof *CASES2);
}

Test(jsonata, reference_cases_step_functions_payloads) {
    run_table(DOC3, CASES3, sizeof CASES3 / sizeof *CASES3);
}

Test(jsonata, reference_cases_regular_expressions) {
    run_table(DOC1, CASES_REGEX, sizeof CASES_REGEX / sizeof *CASES_REGEX);
}

Test(jsonata, reference_cases_upper_lower_case) {
    run_table(DOC1, CASES_CASE, sizeof CASES_CASE / sizeof *CASES_CASE);
}

Test(jsonata, reference_cases_transform) {
    run_table(DOC1, CASES_TRANSFORM, sizeof CASES_TRANSFORM / sizeof *CASES_TRANSFORM);
}

Test(jsonata, reference_cases_format_parse_integer) {
    run_table(DOC1, CASES_INTEGER, sizeof CASES_INTEGER / sizeof *CASES_INTEGER);
}

/* $fromMillis/$toMillis/$now pictures, the clock at TEST_EPOCH_MS as the generator fixes it */
Test(jsonata, reference_cases_date_time_pictures) {
    run_table(DOC1, CASES_DATETIME, sizeof CASES_DATETIME / sizeof *CASES_DATETIME);
}

Test(jsonata, reference_cases_focus_index_parent_composition) {
    run_table(DOC_FOCUS, CASES_FOCUS, sizeof CASES_FOCUS / sizeof *CASES_FOCUS);
}

/* ---- helpers for the hand-written cases ---- */

static cJSON *ev(const char *expr, const char *input, const char *states, const char *vars, sim_t *s,
                 jn_err_t *e) {
    cJSON *in = input ? cJSON_Parse(input) : NULL, *st = states ? cJSON_Parse(states) : NULL;
    cJSON *vs = vars ? cJSON_Parse(vars) : NULL, *out = NULL;
    jn_expr_t *x = jn_parse(expr, e);
    if (x) {
        jn_ctx_t c = {.sim = s, .now_ms = TEST_EPOCH_MS + 1234, .input = in, .states = st, .vars = vs};
        if (jn_eval(x, &c, &out, e)) out = NULL;
    }
    jn_free(x);
    cJSON_Delete(in);
    cJSON_Delete(st);
    cJSON_Delete(vs);
    return out;
}

static void expect(const char *expr, const char *want) {
    jn_err_t e;
    cJSON *out = ev(expr, NULL, NULL, NULL, NULL, &e);
    cr_assert_not_null(out, "%s: error %s %s", expr, e.code, e.message);
    cJSON *w = cJSON_Parse(want);
    char *got = cJSON_PrintUnformatted(out);
    cr_assert(cJSON_Compare(out, w, 1), "%s: want %s got %s", expr, want, got);
    free(got);
    cJSON_Delete(w);
    cJSON_Delete(out);
}

static void expect_err(const char *expr, const char *code, const char *msg_part) {
    jn_err_t e;
    cJSON *out = ev(expr, NULL, NULL, NULL, NULL, &e);
    cr_assert_null(out, "%s: expected error %s", expr, code);
    cr_assert_str_eq(e.code, code, "%s: code %s (%s)", expr, e.code, e.message);
    if (msg_part)
        cr_assert(strstr(e.message, msg_part), "%s: message '%s' lacks '%s'", expr, e.message, msg_part);
}

Test(jsonata, states_and_workflow_variables) {
    jn_err_t e;
    const char *states =
        "{\"input\":{\"order\":{\"id\":7,\"lines\":[{\"sku\":\"a\",\"qty\":2},{\"sku\":\"b\",\"qty\":3}]}},"
        "\"context\":{\"Execution\":{\"Name\":\"run-1\"}}}";
    cJSON *out =
        ev("$sum($states.input.order.lines.qty) * $factor", NULL, states, "{\"factor\":10}", NULL, &e);
    cr_assert_not_null(out, "%s", e.message);
    cr_assert_eq(out->valuedouble, 50);
    cJSON_Delete(out);
    out = ev("$states.context.Execution.Name & '/' & $string($states.input.order.id)", NULL, states, NULL,
             NULL, &e);
    cr_assert_str_eq(out->valuestring, "run-1/7");
    cJSON_Delete(out);
    /* a local binding shadows a workflow variable only inside its block */
    out = ev("[($factor := 2; $factor), $factor]", NULL, NULL, "{\"factor\":10}", NULL, &e);
    cr_assert_not_null(out, "%s", e.message);
    cr_assert_eq(cJSON_GetArrayItem(out, 0)->valuedouble, 2);
    cr_assert_eq(cJSON_GetArrayItem(out, 1)->valuedouble, 10);
    cJSON_Delete(out);
    /* an unbound variable is undefined, not an error */
    out = ev("$nothing", NULL, NULL, NULL, NULL, &e);
    cr_assert_null(out);
    cr_assert_str_eq(e.code, "");
}

Test(jsonata, clock_is_the_contexts) {
    expect("$millis()", "1767225601234");
    expect("$now()", "\"2026-01-01T00:00:01.234Z\"");
    expect("$now('[Y0001]-[M01]-[D01]')", "\"2026-01-01\"");
    expect("$toMillis($now()) = $millis()", "true");
    expect("$fromMillis(0)", "\"1970-01-01T00:00:00.000Z\"");
    expect("$fromMillis(1767225600000, '[H01]:[m01]', '+0530')", "\"05:30\"");
}

Test(jsonata, step_functions_extension_functions) {
    expect("$partition([1,2,3,4,5], 2)", "[[1,2],[3,4],[5]]");
    expect("$partition([1,2,3,4,5,6,7,8,9], 3)", "[[1,2,3],[4,5,6],[7,8,9]]");
    expect("$range(0, 10, 2)", "[0,2,4,6,8,10]");
    expect("$range(5, 1, -2)", "[5,3,1]");
    expect("$hash('abc', 'SHA-256')", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
    expect("$hash('abc', 'MD5')", "\"900150983cd24fb0d6963f7d28e17f72\"");
    expect("$hash('abc', 'SHA-1')", "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
    expect("$parse('{\"a\":[1,2]}').a[1]", "2");
    expect("$random(42) = $random(42)", "true");
    expect("$random(42) != $random(43)", "true");
    expect("$random() >= 0 and $random() < 1", "true");
    expect_err("$hash('abc', 'SHA-3')", "D3153", "SHA-256");
    expect_err("$parse('{bad')", "D3154", NULL);
    expect_err("$range(0, 5000, 1)", "D3152", "1000");
    expect_err("$partition([1], 0)", "D3150", NULL);
    expect_err("$eval('1+1')", "T1006", "$parse");
}

Test(jsonata, uuid_and_random_come_from_the_seeded_rng) {
    sim_t *s1 = test_sim(), *s2 = test_sim();
    jn_err_t e;
    cJSON *a = ev("[$uuid(), $random(), $shuffle([1,2,3,4,5,6,7,8])]", NULL, NULL, NULL, s1, &e);
    cJSON *b = ev("[$uuid(), $random(), $shuffle([1,2,3,4,5,6,7,8])]", NULL, NULL, NULL, s2, &e);
    cr_assert_not_null(a, "%s", e.message);
    cr_assert(cJSON_Compare(a, b, 1), "same seed, same values");
    const char *u = cJSON_GetArrayItem(a, 0)->valuestring;
    cr_assert_eq(strlen(u), 36);
    cr_assert_eq(u[14], '4');
    cJSON *c = ev("$sum($shuffle([1,2,3,4,5,6,7,8]))", NULL, NULL, NULL, s1, &e);
    cr_assert_eq(c->valuedouble, 36);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c);
    test_sim_free(s1);
    test_sim_free(s2);
}

Test(jsonata, errors_carry_codes_and_messages) {
    expect_err("1 + 'a'", "T2002", "right side of the + operator");
    /* as jsonata-js 2.0.6 (Step Functions' JSONata) answers them: JSONata 2.1's ?? and ?: read as a
     * conditional whose branch starts with the second symbol */
    expect_err("missing ?? 5", "S0211", "The symbol \"?\" cannot be used as a unary operator");
    expect_err("0 ?: 5", "S0211", "The symbol \":\" cannot be used as a unary operator");
    expect_err("1 + )", "S0211", "The symbol \")\" cannot be used as a unary operator");
    expect_err("'a' * 2", "T2001", "left side");
    expect_err("1 < 'a'", "T2009", "same data type");
    expect_err("[1] < 2", "T2010", NULL);
    expect_err("$uppercase(1)", "T0410", "Argument 1 of function \"$uppercase\"");
    expect_err("$sum(['a'])", "T0412", NULL);
    expect_err("$number('abc')", "D3030", "Unable to cast");
    expect_err("$sqrt(-1)", "D3060", NULL);
    expect_err("$power(10, 400)", "D3061", NULL);
    expect_err("$error('custom failure')", "D3137", "custom failure");
    expect_err("$assert(false, 'checked')", "D3141", "checked");
    expect_err("$notAFunction(1)", "T1006", NULL);
    expect_err("{'a': 1, 'a': 2}", "D1009", NULL);
    expect_err("{1: 2}", "T1003", NULL);
    expect_err("$single([1,2])", "D3138", NULL);
    expect_err("$sort([1, 'a'])", "D3070", NULL);
    expect_err("$toMillis('yesterday')", "D3110", NULL);
    /* syntax errors, with a position */
    jn_err_t e;
    cr_assert_null(jn_parse("1 +", &e));
    cr_assert_str_eq(e.code, "S0207");
    cr_assert_null(jn_parse("'open", &e));
    cr_assert_str_eq(e.code, "S0101");
    cr_assert_null(jn_parse("[1, 2", &e));
    cr_assert_str_eq(e.code, "S0203");
    cr_assert_null(jn_parse("1 2", &e));
    cr_assert_str_eq(e.code, "S0201");
    cr_assert_eq(e.position, 2);
    cr_assert_null(jn_parse("a.1", &e));
    cr_assert_str_eq(e.code, "S0213");
    cr_assert_null(jn_parse("$x[0] := 1", &e));
    cr_assert_str_eq(e.code, "S0212");
    cr_assert_null(jn_parse("a | b", &e), "'|' only opens a transform");
    cr_assert_str_eq(e.code, "S0201");
}

Test(jsonata, bounds_hold_on_hostile_expressions) {
    char deep[4096];
    memset(deep, '(', 1500);
    deep[1500] = '1';
    memset(deep + 1501, ')', 1500);
    deep[3001] = 0;
    jn_err_t e;
    cr_assert_null(jn_parse(deep, &e));
    cr_assert_str_eq(e.code, "S0230");
    expect_err("($f := function($n){ $f($n + 1) }; $f(0))", "U1001", "recursive");
    expect_err("[1..100000000]", "D2014", NULL);
    expect_err("[1..100000].[1..100000]", "D1100", NULL);
    expect_err("$pad('x', 100000000)", "D1101", NULL);
    /* copies of bound values are charged: doubling a variable cannot allocate without bound */
    expect_err("($a := [1..1000]; $b := [$a,$a]; $c := [$b,$b]; $d := [$c,$c]; $e := [$d,$d]; $f := [$e,$e];"
               " $g := [$f,$f]; $h := [$g,$g]; $i := [$h,$h]; $j := [$i,$i]; $k := [$j,$j]; $count([$k,$k]))",
               "D1100", NULL);
    expect_err(
        "($s := "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';"
        " $reduce([1..40], function($a, $b){ $a & $a }, $s))",
        "D1101", NULL);
    char big[70000];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = 0;
    cr_assert_null(jn_parse(big, &e));
}

/* tuple streams charge their tuples to the work bound; a chain of % that would climb quadratically
 * while parsing is refused */
Test(jsonata, bounds_hold_on_tuple_streams_and_parent_chains) {
    expect_err("[1..1000]@$a.[1..1000]@$b.$a", "D1100", NULL);
    expect_err("$count([1..1000].[1..1000]#$i.$i)", "D1100", NULL);
    char chain[8000] = "a";
    for (int i = 0; i < 3000; i++)
        strcat(chain, ".%");
    jn_err_t e;
    cr_assert_null(jn_parse(chain, &e));
    cr_assert_str_eq(e.code, "S0230");
}

/* $parseInteger of text that is not a number is NaN (jsonata-js's words; JSON has no NaN: it prints
 * as null); transforms and pictures stay within the work bound */
Test(jsonata, integer_pictures_nan_and_bounds) {
    jn_err_t e;
    cJSON *out = ev("$parseInteger('twelve', '0')", NULL, NULL, NULL, NULL, &e);
    cr_assert(out && cJSON_IsNumber(out) && isnan(out->valuedouble), "%s", e.message);
    cJSON_Delete(out);
    out = ev("$parseInteger('two  million', 'w')", NULL, NULL, NULL, NULL, &e);
    cr_assert(out && isnan(out->valuedouble), "an empty word is undefined in jsonata-js");
    cJSON_Delete(out);
    out = ev("$parseInteger('one hundred and', 'w')", NULL, NULL, NULL, NULL, &e);
    cr_assert(out && isnan(out->valuedouble));
    cJSON_Delete(out);
    expect_err("$string($parseInteger('x', '0'))", "D3001", NULL);
    expect_err("$formatInteger($parseInteger('9e999', '0') * 0 + 1e308 * 10, 'a')", "D1001", NULL);
    expect_err("$formatInteger(1e7, 'I')", "RangeError", "call stack");
    expect("$length($formatInteger(1, $pad('', 100000, '0')))", "100000");
    /* separators that are not regular are inserted one by one: each insertion is charged */
    expect_err("$formatInteger(1, $pad('', 60000, '0,#'))", "D1100", NULL);
    /* pictures and texts of megabytes: the regularity check is linear, word parts are charged */
    expect_err("$formatInteger(1, $pad('', 1000000, '0,'))", "D1100", NULL);
    expect_err("($s := $pad('', 1000000, 'one '); $parseInteger($s & $s & $s & $s & $s, 'w'))", "D1100",
               NULL);
    expect("$parseInteger($pad('', 100000, '1') & ',000', '#,##0') > 1e100", "true");
    expect_err("($a := [1..300000].{'v': $}; $count($a ~> |$|{'w': v}|))", "D1100", NULL);
    expect("$count([1..2000].{'v': $} ~> |$|{'w': v * 2}|)", "2000");
    expect("($t := |$|{'n': $count($keys($))}|; [{'a': 1}, {'b': 2, 'c': 3}].$t($).n)", "[1,2]");
}

/* date/time pictures of megabytes and texts that make the matcher backtrack stay within the work
 * bound; $now and a $toMillis picture's defaults read this evaluation's clock (TEST_EPOCH_MS + 1234; a
 * "-0130" timezone is -02:30 to jsonata-js, values from jsonata-js 2.0.6) */
Test(jsonata, date_time_pictures_bounds_and_clock) {
    expect("$length($fromMillis(0, $pad('', 400000, '[Y0001]-[M01]-[D01] ')))", "220000");
    expect_err("$toMillis($pad('', 100000, '1') & 'x', '[Y][M][D][H][m][s][f]')", "D1100", NULL);
    expect_err("$toMillis($pad('', 20000, 'one '), '[Yw]')", "D1100", NULL);
    expect_err("$toMillis($pad('', 22000, '2017-11-07 '), $pad('', 36000, '[Y]-[M]-[D] '))", "D1100", NULL);
    expect_err("$fromMillis(0, '[Y,100000000]')", "D1100", NULL);
    expect("$toMillis('10:30', '[H]:[m]')", "1767263400000");
    expect("$toMillis('Mar 5', '[MNn,*-3] [D]')", "1772668800000");
    expect("$now('[h]:[m01]:[s01].[f001] [P]', '-0130')", "\"9:30:01.234 pm\"");
}

Test(jsonata, parse_once_evaluate_many) {
    jn_err_t e;
    jn_expr_t *x = jn_parse("$states.input.n * 2", &e);
    cr_assert_not_null(x);
    cr_assert_str_eq(jn_source(x), "$states.input.n * 2");
    for (int i = 0; i < 50; i++) {
        char t[64];
        snprintf(t, sizeof t, "{\"input\":{\"n\":%d}}", i);
        cJSON *st = cJSON_Parse(t), *out = NULL;
        jn_ctx_t c = {.states = st};
        cr_assert_eq(jn_eval(x, &c, &out, &e), 0);
        cr_assert_eq(out->valuedouble, 2 * i);
        cJSON_Delete(out);
        cJSON_Delete(st);
    }
    jn_free(x);
}

/* PCRE2 runs JavaScript's patterns; its backtracking is charged to the evaluation's work bound, so a
 * pattern that backtracks without end stops with D1100 (JavaScript would hang), and a literal longer
 * than MAX_REGEX is refused. */
Test(jsonata, regex_backtracking_is_bounded) {
    char expr[256];
    snprintf(expr, sizeof expr, "$match(\"%s!\", /^(a+)+$/)", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect_err(expr, "D1100", NULL);
    expect_err("$contains($pad('', 5000, 'a') & '!', /^(a|aa)*$/)", "D1100", NULL);
    /* many matches that each backtrack a little add up to the evaluation's bound too */
    expect_err("$count($match($pad('', 150000, 'aaaaaaaaaaaa!z\\n'), /^(a+)+$|z/m))", "D1100", "work limit");
    expect("$count($match($pad('', 400000, 'ab'), /(?:a|b|ab)+?(?=b)/))", "200000");
    expect("$contains(\"aaaaaaaaaaaaaaaaaaab\", /((((a)+)+)+)+b/)", "true");
    expect("$match(\"2026-11-23\", /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/).groups", "[\"2026\",\"11\",\"23\"]");
    char *big = malloc(9000);
    memset(big, 'a', 8999);
    big[8999] = 0;
    char *e2 = malloc(9100);
    snprintf(e2, 9100, "$match('a', /%s/)", big);
    expect_err(e2, "S0303", "longer than");
    free(e2);
    free(big);
}
Test(jsonata, pad_cycles_through_multibyte_pad_characters) {
    expect("$pad(\"a\", -8, \"x\\u00e9\\ud83d\\ude00\")",
           "\"x\\u00e9\\ud83d\\ude00x\\u00e9\\ud83d\\ude00xa\"");
    expect("$pad(\"a\", 4, \"\\u00e9\")", "\"a\\u00e9\\u00e9\\u00e9\"");
    expect("$length($pad(\"\", 100000, \"abc\"))", "100000");
    expect("$substring($pad(\"\", 100000, \"abc\"), 99997)", "\"bca\"");
    /* a pad string with no character start (only UTF-8 continuation bytes) is used whole each time:
     * it divided by its zero character count before (UBSan, fuzz_jsonata); past 8 MB it is an error */
    expect("$length($pad(\"a\", 3, \"\x8c\x8c\"))", "1");
    expect_err("$pad(\"a\", 600000, \"\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\x8c\")",
               "D1101", "too long");
}

/* Loops over regex matches count characters and matches as they go: a long string with many
 * matches is linear (each match measured the rest of the string, and its index was counted from
 * the start). The results keep their character indexes and word boundaries. */
Test(jsonata, many_regex_matches_on_a_long_string) {
    expect("$count($match($pad(\"\", 200000, \"ab\"), /a/))", "100000");
    expect("$match($pad(\"\", 200000, \"\\u00e9a\"), /a/)[99999].index", "199999");
    expect("$length($replace($pad(\"\", 200000, \"ab\"), /a/, \"\"))", "100000");
    expect("$count($split($pad(\"\", 200000, \"ab\"), /b/))", "100001");
    expect("$match(\"x cat concat\", /\\bcat/).index", "2");
    expect("$replace(\"caat\", /a/, function($m){ $string($m.index) })", "\"c12t\"");
}
