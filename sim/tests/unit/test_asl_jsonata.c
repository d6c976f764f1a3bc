/*
 * test_asl_jsonata.c — Step Functions states in JSONata (QueryLanguage "JSONata") run through the
 * Step Functions operations: Arguments, Output, Assign, Condition, Items/ItemSelector, "{% %}"
 * templates, $states.input/result/errorOutput/context, Wait/Fail fields as expressions, the
 * States.QueryEvaluationError path, and the validation rules that separate the two languages.
 * Definitions are written with ` for " to stay readable.
 */
#include <stdio.h>

#include "asl/asl.h"
#include "testutil.h"

static sim_t *S;

static void setup(void) {
    S = test_sim();
}

static void teardown(void) {
    test_sim_free(S);
}

/* ` -> " */
static char *q(const char *s) {
    char *r = strdup(s);
    for (char *p = r; *p; p++)
        if (*p == '`') *p = '"';
    return r;
}

static cJSON *call(const char *op, cJSON *in, sim_error_t *e) {
    char *t = cJSON_PrintUnformatted(in);
    cJSON *out = NULL;
    int rc = test_call(S, "stepfunctions", TEST_ACCOUNT, op, t, &out, e);
    free(t);
    return rc ? NULL : out;
}

/* CreateStateMachine; NULL with e on a validation error. */
static char *create(const char *def_q, sim_error_t *e) {
    static int n = 0;
    char name[32];
    snprintf(name, sizeof name, "jn%d", n++);
    char *def = q(def_q);
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "name", name);
    cJSON_AddStringToObject(in, "definition", def);
    cJSON_AddStringToObject(in, "roleArn", "arn:aws:iam::111111111111:role/sfn");
    cJSON *out = call("CreateStateMachine", in, e);
    cJSON_Delete(in);
    free(def);
    char *arn = out ? strdup(jstr(out, "stateMachineArn")) : NULL;
    cJSON_Delete(out);
    return arn;
}

static cJSON *describe(const char *ex) {
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "executionArn", ex);
    sim_error_t e;
    cJSON *out = call("DescribeExecution", in, &e);
    cJSON_Delete(in);
    cr_assert_not_null(out, "%s", e.message);
    return out;
}

static cJSON *history(const char *ex) {
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "executionArn", ex);
    cJSON_AddNumberToObject(in, "maxResults", 1000);
    sim_error_t e;
    cJSON *out = call("GetExecutionHistory", in, &e);
    cJSON_Delete(in);
    cJSON *ev = cJSON_DetachItemFromObject(out, "events");
    cJSON_Delete(out);
    return ev;
}

/* Start def on input; *ex gets the execution ARN. */
static char *start(const char *def_q, const char *input_q) {
    sim_error_t e;
    char *sm = create(def_q, &e);
    cr_assert_not_null(sm, "CreateStateMachine: %s %s", e.code, e.message);
    char *input = q(input_q);
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "stateMachineArn", sm);
    cJSON_AddStringToObject(in, "input", input);
    cJSON *out = call("StartExecution", in, &e);
    cr_assert_not_null(out, "StartExecution: %s", e.message);
    char *ex = strdup(jstr(out, "executionArn"));
    cJSON_Delete(out);
    cJSON_Delete(in);
    free(input);
    free(sm);
    return ex;
}

/* Run to completion; assert the status; return the parsed output (SUCCEEDED) or the describe. */
static cJSON *run(const char *def_q, const char *input_q, const char *want_status, char **ex_out) {
    char *ex = start(def_q, input_q);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), want_status, "status %s (%s: %s)", jstr(d, "status"),
                     jstr(d, "error") ? jstr(d, "error") : "", jstr(d, "cause") ? jstr(d, "cause") : "");
    cJSON *r = d;
    if (jstr(d, "output")) {
        r = cJSON_Parse(jstr(d, "output"));
        cJSON_Delete(d);
    }
    if (ex_out)
        *ex_out = ex;
    else
        free(ex);
    return r;
}

static void assert_json(const cJSON *got, const char *want_q) {
    char *want = q(want_q);
    cJSON *w = cJSON_Parse(want);
    cr_assert_not_null(w, "bad expected JSON %s", want);
    char *g = cJSON_PrintUnformatted(got);
    cr_assert(cJSON_Compare(got, w, 1), "got %s, want %s", g, want);
    free(g);
    free(want);
    cJSON_Delete(w);
}

static int has_event(cJSON *ev, const char *type) {
    const cJSON *e;
    cJSON_ArrayForEach(e, ev) if (!strcmp(jstr(e, "type"), type)) return 1;
    return 0;
}

Test(asl_jsonata, pass_output_assign_and_variables, .init = setup, .fini = teardown) {
    cJSON *out = run("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{"
                     "`A`:{`Type`:`Pass`,`Assign`:{`total`:`{% $sum($states.input.items.price) %}`,`n`:1},"
                     "`Output`:{`first`:`{% $states.input.items[0].name %}`,`seen`:`{% $exists($total) %}`,"
                     "`lit`:`no {% here`},`Next`:`B`},"
                     "`B`:{`Type`:`Pass`,`Output`:`{% {'total': $total * $n, 'prev': $states.input.first, "
                     "'seen': $states.input.seen, 'state': $states.context.State.Name} %}`,`End`:true}}}",
                     "{`items`:[{`name`:`a`,`price`:2.5},{`name`:`b`,`price`:4}]}", "SUCCEEDED", NULL);
    /* Output does not see variables assigned by the same state */
    assert_json(out, "{`total`:6.5,`prev`:`a`,`seen`:false,`state`:`B`}");
    cJSON_Delete(out);
}

Test(asl_jsonata, pass_without_output_passes_input, .init = setup, .fini = teardown) {
    cJSON *out = run("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`End`:true}}}",
                     "{`x`:[1,2]}", "SUCCEEDED", NULL);
    assert_json(out, "{`x`:[1,2]}");
    cJSON_Delete(out);
}

Test(asl_jsonata, choice_conditions_and_rule_assign, .init = setup, .fini = teardown) {
    const char *def =
        "{`QueryLanguage`:`JSONata`,`StartAt`:`C`,`States`:{"
        "`C`:{`Type`:`Choice`,`Choices`:["
        "{`Condition`:`{% $states.input.n > 10 %}`,`Next`:`Big`,`Assign`:{`kind`:`big`}},"
        "{`Condition`:`{% $states.input.n in [1,2,3] %}`,`Next`:`Small`}],"
        "`Default`:`Other`},"
        "`Big`:{`Type`:`Pass`,`Output`:`{% $kind & ':' & $string($states.input.n) %}`,`End`:true},"
        "`Small`:{`Type`:`Succeed`,`Output`:{`small`:`{% $states.input.n %}`}},"
        "`Other`:{`Type`:`Fail`,`Error`:`{% 'Err.' & $string($states.input.n) %}`,"
        "`Cause`:`{% 'no rule for ' & $string($states.input.n) %}`}}}";
    cJSON *out = run(def, "{`n`:42}", "SUCCEEDED", NULL);
    assert_json(out, "`big:42`");
    cJSON_Delete(out);
    out = run(def, "{`n`:2}", "SUCCEEDED", NULL);
    assert_json(out, "{`small`:2}");
    cJSON_Delete(out);
    cJSON *d = run(def, "{`n`:7}", "FAILED", NULL);
    cr_assert_str_eq(jstr(d, "error"), "Err.7");
    cr_assert_str_eq(jstr(d, "cause"), "no rule for 7");
    cJSON_Delete(d);
}

Test(asl_jsonata, map_items_item_selector_and_result, .init = setup, .fini = teardown) {
    cJSON *out = run("{`QueryLanguage`:`JSONata`,`StartAt`:`M`,`States`:{`M`:{`Type`:`Map`,"
                     "`Items`:`{% $states.input.animals %}`,"
                     "`ItemSelector`:{`name`:`{% $states.context.Map.Item.Value %}`,"
                     "`i`:`{% $states.context.Map.Item.Index %}`},"
                     "`ItemProcessor`:{`StartAt`:`P`,`States`:{`P`:{`Type`:`Pass`,"
                     "`Output`:`{% $uppercase($states.input.name) & '#' & $string($states.input.i) %}`,"
                     "`End`:true}}},"
                     "`Output`:{`results`:`{% $states.result %}`,`count`:`{% $count($states.result) %}`},"
                     "`End`:true}}}",
                     "{`animals`:[`lion`,`cheetah`]}", "SUCCEEDED", NULL);
    assert_json(out, "{`results`:[`LION#0`,`CHEETAH#1`],`count`:2}");
    cJSON_Delete(out);
}

Test(asl_jsonata, map_items_must_be_an_array, .init = setup, .fini = teardown) {
    cJSON *d = run("{`QueryLanguage`:`JSONata`,`StartAt`:`M`,`States`:{`M`:{`Type`:`Map`,"
                   "`Items`:`{% $states.input.one %}`,`ItemProcessor`:{`StartAt`:`P`,`States`:{`P`:{"
                   "`Type`:`Pass`,`End`:true}}},`End`:true}}}",
                   "{`one`:5}", "FAILED", NULL);
    cr_assert_str_eq(jstr(d, "error"), "States.QueryEvaluationError");
    cJSON_Delete(d);
}

Test(asl_jsonata, parallel_arguments_and_result, .init = setup, .fini = teardown) {
    cJSON *out =
        run("{`QueryLanguage`:`JSONata`,`StartAt`:`P`,`States`:{`P`:{`Type`:`Parallel`,"
            "`Arguments`:{`v`:`{% $states.input.v * 2 %}`},"
            "`Branches`:["
            "{`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`Output`:`{% $states.input.v + 1 %}`,`End`:true}}},"
            "{`StartAt`:`B`,`States`:{`B`:{`Type`:`Pass`,`Output`:`{% $states.input.v - 1 %}`,`End`:true}}}],"
            "`Output`:`{% $sum($states.result) %}`,`Assign`:{`r`:`{% $states.result %}`},`Next`:`N`},"
            "`N`:{`Type`:`Pass`,`Output`:{`sum`:`{% $states.input %}`,`r`:`{% $r %}`},`End`:true}}}",
            "{`v`:5}", "SUCCEEDED", NULL);
    assert_json(out, "{`sum`:20,`r`:[11,9]}");
    cJSON_Delete(out);
}

Test(asl_jsonata, task_arguments_and_result, .init = setup, .fini = teardown) {
    cJSON *out =
        run("{`QueryLanguage`:`JSONata`,`StartAt`:`T`,`States`:{`T`:{`Type`:`Task`,"
            "`Resource`:`arn:aws:states:::sqs:sendMessage`,"
            "`Arguments`:{`QueueUrl`:`https://sqs.us-east-1.amazonaws.com/111111111111/q`,"
            "`MessageBody`:`{% $string({'order': $states.input.id, 'at': $now()}) %}`},"
            "`Output`:{`sent`:`{% $exists($states.result.MessageId) %}`,`id`:`{% $states.input.id %}`},"
            "`End`:true}}}",
            "{`id`:`o-1`}", "SUCCEEDED", NULL);
    assert_json(out, "{`sent`:true,`id`:`o-1`}");
    cJSON_Delete(out);
    cJSON *msgs = cJSON_CreateArray();
    cr_assert_eq(sfn_messages_json(S, msgs), 1);
    const cJSON *p = cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "parameters");
    /* $now() is the virtual clock */
    cr_assert_str_eq(jstr(p, "MessageBody"), "{\"order\":\"o-1\",\"at\":\"2026-01-01T00:00:00.000Z\"}");
    cJSON_Delete(msgs);
}

Test(asl_jsonata, catch_output_and_assign_see_error_output, .init = setup, .fini = teardown) {
    cJSON *out =
        run("{`QueryLanguage`:`JSONata`,`StartAt`:`T`,`States`:{`T`:{`Type`:`Task`,"
            "`Resource`:`arn:aws:lambda:us-east-1:111111111111:function:missing`,"
            "`Catch`:[{`ErrorEquals`:[`States.ALL`],`Next`:`H`,"
            "`Output`:{`err`:`{% $states.errorOutput.Error %}`,`in`:`{% $states.input %}`},"
            "`Assign`:{`failed`:true}}],`End`:true},"
            "`H`:{`Type`:`Pass`,`Output`:`{% $merge([$states.input, {'failed': $failed}]) %}`,`End`:true}}}",
            "{`a`:1}", "SUCCEEDED", NULL);
    assert_json(out, "{`err`:`Lambda.ResourceNotFoundException`,`in`:{`a`:1},`failed`:true}");
    cJSON_Delete(out);
}

/* the transform operator in Output: a copy of the input with matches updated and keys deleted; the
 * input itself is unchanged for the next state; a non-object update fails the state */
Test(asl_jsonata, transform_in_output, .init = setup, .fini = teardown) {
    cJSON *out = run(
        "{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{"
        "`A`:{`Type`:`Pass`,`Assign`:{`orig`:`{% $states.input %}`},"
        "`Output`:`{% $states.input ~> |order.lines|{'total': price * qty}, 'sku'| ~> |$|{}, ['secret']| %}`,"
        "`Next`:`B`},"
        "`B`:{`Type`:`Pass`,`Output`:{`now`:`{% $states.input %}`,`orig`:`{% $orig.order.lines[0] %}`},"
        "`End`:true}}}",
        "{`secret`:`k`,`order`:{`id`:7,`lines`:[{`sku`:`a`,`price`:2.5,`qty`:2},{`sku`:`b`,`price`:4,`qty`:1}"
        "]}}",
        "SUCCEEDED", NULL);
    assert_json(out, "{`now`:{`order`:{`id`:7,`lines`:[{`price`:2.5,`qty`:2,`total`:5},"
                     "{`price`:4,`qty`:1,`total`:4}]}},`orig`:{`sku`:`a`,`price`:2.5,`qty`:2}}");
    cJSON_Delete(out);
    cJSON *d = run("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,"
                   "`Output`:`{% $states.input ~> |order|'flat'| %}`,`End`:true}}}",
                   "{`order`:{}}", "FAILED", NULL);
    cr_assert_str_eq(jstr(d, "error"), "States.QueryEvaluationError");
    cr_assert(strstr(jstr(d, "cause"), "T2011"), "%s", jstr(d, "cause"));
    cJSON_Delete(d);
}

/* an index binding #$i, the parent operator % and a composed function in Output (expected value from
 * jsonata-js 2.0.6); a focus binding to a non-variable is refused at CreateStateMachine (S0214) */
Test(asl_jsonata, index_binding_parent_and_composition_in_output, .init = setup, .fini = teardown) {
    cJSON *out = run("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,"
                     "`Output`:`{% $states.input.orders#$i.lines.{'order': $i, 'id': %.id, 'sku': sku, "
                     "'tag': ($t := $uppercase ~> function($s){$s & '!'}; $t(sku))} %}`,`End`:true}}}",
                     "{`orders`:[{`id`:`o1`,`lines`:[{`sku`:`a`,`qty`:2},{`sku`:`b`,`qty`:1}]},"
                     "{`id`:`o2`,`lines`:[{`sku`:`c`,`qty`:5}]}]}",
                     "SUCCEEDED", NULL);
    assert_json(out, "[{`order`:0,`id`:`o1`,`sku`:`a`,`tag`:`A!`},{`order`:0,`id`:`o1`,`sku`:`b`,`tag`:`B!`},"
                     "{`order`:1,`id`:`o2`,`sku`:`c`,`tag`:`C!`}]");
    cJSON_Delete(out);
    sim_error_t e;
    char *sm = create("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,"
                      "`Output`:`{% $states.input.orders@x %}`,`End`:true}}}",
                      &e);
    cr_assert_null(sm);
    cr_assert_str_eq(e.code, "InvalidDefinition");
    cr_assert(strstr(e.message, "S0214"), "%s", e.message);
}

Test(asl_jsonata, evaluation_errors_are_query_evaluation_errors, .init = setup, .fini = teardown) {
    char *ex;
    cJSON *d = run("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,"
                   "`Output`:`{% $states.input.a + 'x' %}`,`End`:true}}}",
                   "{`a`:1}", "FAILED", &ex);
    cr_assert_str_eq(jstr(d, "error"), "States.QueryEvaluationError");
    cr_assert(strstr(jstr(d, "cause"), "right side of the + operator"), "%s", jstr(d, "cause"));
    cJSON_Delete(d);
    cJSON *ev = history(ex);
    cr_assert(has_event(ev, "EvaluationFailed"));
    cJSON_Delete(ev);
    free(ex);
    /* undefined is not a JSON value */
    d = run("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,"
            "`Output`:`{% $states.input.nothing %}`,`End`:true}}}",
            "{}", "FAILED", NULL);
    cr_assert(strstr(jstr(d, "cause"), "returned nothing (undefined)"), "%s", jstr(d, "cause"));
    cJSON_Delete(d);
    /* a Choice condition must be a boolean */
    d = run("{`QueryLanguage`:`JSONata`,`StartAt`:`C`,`States`:{`C`:{`Type`:`Choice`,`Choices`:["
            "{`Condition`:`{% $states.input.n %}`,`Next`:`X`}],`Default`:`X`},`X`:{`Type`:`Succeed`}}}",
            "{`n`:1}", "FAILED", NULL);
    cr_assert_str_eq(jstr(d, "error"), "States.QueryEvaluationError");
    cJSON_Delete(d);
    /* ...and it can be caught */
    cJSON *out = run("{`QueryLanguage`:`JSONata`,`StartAt`:`T`,`States`:{`T`:{`Type`:`Task`,"
                     "`Resource`:`arn:aws:states:::sqs:sendMessage`,`Arguments`:{`QueueUrl`:`q`,"
                     "`MessageBody`:`{% $error('bad input') %}`},"
                     "`Catch`:[{`ErrorEquals`:[`States.QueryEvaluationError`],`Next`:`H`}],`End`:true},"
                     "`H`:{`Type`:`Pass`,`End`:true}}}",
                     "{}", "SUCCEEDED", NULL);
    cr_assert_str_eq(jstr(out, "Error"), "States.QueryEvaluationError");
    cr_assert(strstr(jstr(out, "Cause"), "bad input"));
    cJSON_Delete(out);
}

Test(asl_jsonata, wait_seconds_and_timestamp_expressions, .init = setup, .fini = teardown) {
    char *ex = start("{`QueryLanguage`:`JSONata`,`StartAt`:`W`,`States`:{"
                     "`W`:{`Type`:`Wait`,`Seconds`:`{% $states.input.s * 2 %}`,`Next`:`X`},"
                     "`X`:{`Type`:`Wait`,`Timestamp`:`{% $fromMillis($toMillis($now()) + 60000) %}`,"
                     "`Output`:{`t`:`{% $now() %}`},`End`:true}}}",
                     "{`s`:5}");
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "RUNNING");
    cJSON_Delete(d);
    cr_assert_eq(clock_advance(S, 10000), 1);
    d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "RUNNING");
    cJSON_Delete(d);
    clock_advance(S, 60000);
    d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(d, "output"), "{\"t\":\"2026-01-01T00:01:10.000Z\"}");
    cJSON_Delete(d);
    free(ex);
}

/* date/time pictures in a state's Output (expected values from jsonata-js 2.0.6); $now() and the
 * defaults of a $toMillis picture follow the virtual clock: 90 s after TEST_EPOCH_MS */
Test(asl_jsonata, date_time_pictures_on_the_virtual_clock, .init = setup, .fini = teardown) {
    char *ex = start("{`QueryLanguage`:`JSONata`,`StartAt`:`W`,`States`:{"
                     "`W`:{`Type`:`Wait`,`Seconds`:90,`Next`:`P`},"
                     "`P`:{`Type`:`Pass`,`Output`:{"
                     "`day`:`{% $fromMillis($states.input.ms, '[FNn], [D1o] [MNn] [Y] [h]:[m01] [PN] [z]', "
                     "'-0500') %}`,"
                     "`now`:`{% $now('[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]', '+0530') %}`,"
                     "`local`:`{% $now('[FNn] [h]:[m01] [P]') %}`,"
                     "`parsed`:`{% $toMillis('07/11/2017 15:12', '[D01]/[M01]/[Y0001] [H01]:[m01]') %}`,"
                     "`today`:`{% $toMillis('00:02', '[H01]:[m01]') %}`},`End`:true}}}",
                     "{`ms`:1510067557121}");
    clock_advance(S, 90000);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cJSON *out = cJSON_Parse(jstr(d, "output"));
    assert_json(out, "{`day`:`Tuesday, 7th November 2017 10:12 AM GMT-05:00`,"
                     "`now`:`2026-01-01 05:31:30 +05:30`,`local`:`Thursday 12:01 am`,"
                     "`parsed`:1510067520000,`today`:1767225720000}");
    cJSON_Delete(out);
    cJSON_Delete(d);
    free(ex);
}

Test(asl_jsonata, mixed_languages_per_state, .init = setup, .fini = teardown) {
    cJSON *out =
        run("{`StartAt`:`A`,`States`:{"
            "`A`:{`Type`:`Pass`,`Parameters`:{`v.$`:`$.x`},`Assign`:{`old.$`:`$.v`},`Next`:`B`},"
            "`B`:{`Type`:`Pass`,`QueryLanguage`:`JSONata`,`Output`:{`w`:`{% $states.input.v + $old %}`},"
            "`End`:true}}}",
            "{`x`:20}", "SUCCEEDED", NULL);
    assert_json(out, "{`w`:40}");
    cJSON_Delete(out);
}

static void invalid(const char *def_q, const char *msg_part) {
    sim_error_t e;
    char *sm = create(def_q, &e);
    cr_assert_null(sm, "definition accepted, expected: %s", msg_part);
    cr_assert_str_eq(e.code, "InvalidDefinition");
    cr_assert(strstr(e.message, msg_part), "message '%s' lacks '%s'", e.message, msg_part);
}

Test(asl_jsonata, validation, .init = setup, .fini = teardown) {
    invalid(
        "{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`InputPath`:`$.a`,`End`:true}}"
        "}",
        "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' "
        "QueryLanguage at /States/A");
    invalid(
        "{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Task`,`Resource`:`arn:aws:states:::"
        "sqs:sendMessage`,`Parameters`:{},`ResultSelector`:{},`End`:true}}}",
        "field 'Parameters' is only supported for the 'JSONPath' QueryLanguage");
    invalid("{`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`Output`:{},`End`:true}}}",
            "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' "
            "QueryLanguage at /States/A");
    invalid(
        "{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`QueryLanguage`:`JSONPath`,"
        "`End`:true}}}",
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/A");
    invalid(
        "{`QueryLanguage`:`JSONata`,`StartAt`:`M`,`States`:{`M`:{`Type`:`Map`,`ItemProcessor`:{"
        "`QueryLanguage`:`JSONata`,`StartAt`:`P`,`States`:{`P`:{`Type`:`Pass`,`End`:true}}},`End`:true}}}",
        "Field 'QueryLanguage' is not supported");
    invalid("{`QueryLanguage`:`XPath`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`End`:true}}}",
            "should have one of these values: [JSONPath, JSONata]");
    invalid("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`Output`:`{% 1 + %}`,"
            "`End`:true}}}",
            "is not valid");
    invalid("{`QueryLanguage`:`JSONata`,`StartAt`:`C`,`States`:{`C`:{`Type`:`Choice`,`Choices`:[{`Variable`:"
            "`$.a`,`NumericEquals`:1,`Next`:`X`}]},`X`:{`Type`:`Succeed`}}}",
            "Condition");
    invalid(
        "{`QueryLanguage`:`JSONata`,`StartAt`:`T`,`States`:{`T`:{`Type`:`Task`,`Resource`:`arn:aws:states:::"
        "sqs:sendMessage`,`Catch`:[{`ErrorEquals`:[`States.ALL`],`ResultPath`:`$.e`,`Next`:`T`}],`End`:true}}"
        "}",
        "field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage");
    invalid("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Fail`,`Output`:{}}}}",
            "Field 'Output' is not supported for state type 'Fail'");
    invalid("{`QueryLanguage`:`JSONata`,`StartAt`:`A`,`States`:{`A`:{`Type`:`Pass`,`Items`:[],`End`:true}}}",
            "Field 'Items' is not supported for state type 'Pass'");
    /* JSONata nested in a JSONPath machine: inner states inherit the top level, not the Map's */
    invalid(
        "{`StartAt`:`M`,`States`:{`M`:{`Type`:`Map`,`QueryLanguage`:`JSONata`,`ItemProcessor`:{`StartAt`:`P`,"
        "`States`:{`P`:{`Type`:`Pass`,`Output`:1,`End`:true}}},`End`:true}}}",
        "at /States/M/ItemProcessor/States/P");
}

Test(asl_jsonata, context_object_built_only_when_read) {
    const char *uses[] = {"\"{% $states.context.Execution.Id %}\"", "\"{% $states %}\"",
                          "{\"a\":[1,\"{% $lookup($states, 'context') %}\"]}",
                          "\"{% ($s := $states; $s.context) %}\""};
    const char *not_uses[] = {"\"{% $states.input.a %}\"",
                              "{\"r\":\"{% $states.result %}\",\"e\":\"{% $states.errorOutput %}\"}",
                              "\"$states.context is not an expression\"", "42"};
    for (size_t i = 0; i < 4; i++) {
        cJSON *v = cJSON_Parse(uses[i]), *w = cJSON_Parse(not_uses[i]);
        cr_assert(asl_jn_uses_context(v), "%s", uses[i]);
        cr_assert(!asl_jn_uses_context(w), "%s", not_uses[i]);
        cJSON_Delete(v);
        cJSON_Delete(w);
    }
}
