/*
 * test_ram.c — AWS RAM behaviour through service_call: invitations accepted, rejected and expired
 * on the virtual clock, organization sharing, visibility of shared resources, cross-account
 * ownership errors, clientToken idempotency, managed permissions and CREATED_FROM_POLICY promotion.
 */
#include <stdio.h>

#include "services/ram.h"
#include "testutil.h"

#define OWNER "111111111111"
#define PEER "222222222222"
#define OTHER "333333333333"
#define TGW "arn:aws:ec2:us-east-1:111111111111:transit-gateway/tgw-0123456789abcdef0"
#define SUBNET "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0123456789abcdef0"

static sim_t *S;
static cJSON *OUT;
static sim_error_t E;

static void setup(void) {
    S = test_sim();
    OUT = NULL;
}

static void teardown(void) {
    cJSON_Delete(OUT);
    test_sim_free(S);
}

/* Call and keep the output in OUT; returns rc. */
static int call(const char *account, const char *op, const char *json) {
    cJSON_Delete(OUT);
    return test_call(S, "ram", account, op, json, &OUT, &E);
}

static void ok(const char *account, const char *op, const char *json) {
    int rc = call(account, op, json);
    cr_assert_eq(rc, 0, "%s failed: %s %s", op, E.code, E.message);
}

static void fails(const char *account, const char *op, const char *json, const char *code) {
    int rc = call(account, op, json);
    cr_assert_neq(rc, 0, "%s should fail with %s", op, code);
    cr_assert_str_eq(E.code, code, "%s: expected %s, got %s (%s)", op, code, E.code, E.message);
}

static const char *path_str(const char *a, const char *b) {
    cJSON *o = cJSON_GetObjectItemCaseSensitive(OUT, a);
    return b ? jstr(o, b) : cJSON_GetStringValue(o);
}

static char *create_share(const char *json) {
    ok(OWNER, "CreateResourceShare", json);
    return strdup(path_str("resourceShare", "resourceShareArn"));
}

static int array_size(const char *key) {
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(OUT, key));
}

static const char *item_str(const char *key, int i, const char *field) {
    return jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(OUT, key), i), field);
}

/* The first invitation PEER-like `account` received. */
static char *invitation_of(const char *account) {
    ok(account, "GetResourceShareInvitations", "{}");
    cr_assert_geq(array_size("resourceShareInvitations"), 1);
    return strdup(item_str("resourceShareInvitations", 0, "resourceShareInvitationArn"));
}

static const char *principal_status(const char *share, const char *principal) {
    char in[512];
    snprintf(in, sizeof in,
             "{\"associationType\":\"PRINCIPAL\",\"resourceShareArns\":[\"%s\"],\"principal\":\"%s\"}", share,
             principal);
    ok(OWNER, "GetResourceShareAssociations", in);
    cr_assert_eq(array_size("resourceShareAssociations"), 1);
    return item_str("resourceShareAssociations", 0, "status");
}

TestSuite(ram, .init = setup, .fini = teardown);

Test(ram, create_share_shape_and_arn) {
    ok(OWNER, "CreateResourceShare",
       "{\"name\":\"tgw\",\"resourceArns\":[\"" TGW "\"],\"tags\":[{\"key\":\"env\",\"value\":\"dev\"}]}");
    const char *arn = path_str("resourceShare", "resourceShareArn");
    cr_assert(strncmp(arn, "arn:aws:ram:us-east-1:111111111111:resource-share/", 50) == 0, "%s", arn);
    cr_assert_eq(strlen(arn), 50 + 36);
    cr_assert_str_eq(path_str("resourceShare", "status"), "ACTIVE");
    cr_assert_str_eq(path_str("resourceShare", "owningAccountId"), OWNER);
    cr_assert_str_eq(path_str("resourceShare", "featureSet"), "STANDARD");
    cr_assert(cJSON_IsTrue(
        cJSON_GetObjectItem(cJSON_GetObjectItem(OUT, "resourceShare"), "allowExternalPrincipals")));
    /* the default AWS managed permission of the resource type is attached */
    char in[300];
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", path_str("resourceShare", "resourceShareArn"));
    ok(OWNER, "ListResourceSharePermissions", in);
    cr_assert_eq(array_size("permissions"), 1);
    cr_assert_str_eq(item_str("permissions", 0, "name"), "AWSRAMDefaultPermissionTransitGateway");
}

Test(ram, invitation_accept_makes_resource_visible) {
    char *share =
        create_share("{\"name\":\"tgw\",\"resourceArns\":[\"" TGW "\"],\"principals\":[\"" PEER "\"]}");
    cr_assert_str_eq(principal_status(share, PEER), "ASSOCIATING");
    cr_assert_eq(ram_resource_visible(S, PEER, TGW), 0, "pending invitation must not share the resource");
    cr_assert_eq(ram_resource_visible(S, OWNER, TGW), 1);
    ok(PEER, "GetResourceShares", "{\"resourceOwner\":\"OTHER-ACCOUNTS\"}");
    cr_assert_eq(array_size("resourceShares"), 0);

    char *inv = invitation_of(PEER);
    cr_assert_str_eq(item_str("resourceShareInvitations", 0, "status"), "PENDING");
    cr_assert_str_eq(item_str("resourceShareInvitations", 0, "senderAccountId"), OWNER);
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareInvitationArn\":\"%s\"}", inv);
    ok(PEER, "ListPendingInvitationResources", in);
    cr_assert_eq(array_size("resources"), 1);
    cr_assert_str_eq(item_str("resources", 0, "type"), "ec2:TransitGateway");
    /* only the receiver can answer */
    fails(OTHER, "AcceptResourceShareInvitation", in, "ResourceShareInvitationArnNotFoundException");
    fails(OWNER, "AcceptResourceShareInvitation", in, "OperationNotPermittedException");
    ok(PEER, "AcceptResourceShareInvitation", in);
    cr_assert_str_eq(path_str("resourceShareInvitation", "status"), "ACCEPTED");
    fails(PEER, "AcceptResourceShareInvitation", in, "ResourceShareInvitationAlreadyAcceptedException");
    fails(PEER, "RejectResourceShareInvitation", in, "ResourceShareInvitationAlreadyAcceptedException");

    cr_assert_str_eq(principal_status(share, PEER), "ASSOCIATED");
    cr_assert_eq(ram_resource_visible(S, PEER, TGW), 1);
    cr_assert_eq(ram_resource_visible(S, OTHER, TGW), 0);
    ok(PEER, "GetResourceShares", "{\"resourceOwner\":\"OTHER-ACCOUNTS\"}");
    cr_assert_eq(array_size("resourceShares"), 1);
    ok(PEER, "ListResources", "{\"resourceOwner\":\"OTHER-ACCOUNTS\"}");
    cr_assert_eq(array_size("resources"), 1);
    cr_assert_str_eq(item_str("resources", 0, "arn"), TGW);
    ok(OWNER, "ListPrincipals", "{\"resourceOwner\":\"SELF\"}");
    cr_assert_eq(array_size("principals"), 1);
    cr_assert(cJSON_IsTrue(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(OUT, "principals"), 0), "external")));

    /* disassociating the principal takes visibility away again */
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"principals\":[\"" PEER "\"]}", share);
    ok(OWNER, "DisassociateResourceShare", in);
    cr_assert_str_eq(item_str("resourceShareAssociations", 0, "status"), "DISASSOCIATING");
    cr_assert_eq(ram_resource_visible(S, PEER, TGW), 0);
    /* associating the account again needs a fresh invitation */
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"principals\":[\"" PEER "\"]}", share);
    ok(OWNER, "AssociateResourceShare", in);
    cr_assert_str_eq(principal_status(share, PEER), "ASSOCIATING");
    ok(PEER, "GetResourceShareInvitations", "{}");
    cr_assert_eq(array_size("resourceShareInvitations"), 2);
    cr_assert_str_eq(item_str("resourceShareInvitations", 1, "status"), "PENDING");
    char *inv2 = strdup(item_str("resourceShareInvitations", 1, "resourceShareInvitationArn"));
    snprintf(in, sizeof in, "{\"resourceShareInvitationArn\":\"%s\"}", inv2);
    ok(PEER, "AcceptResourceShareInvitation", in);
    /* a role of an account that already accepted is associated at once */
    snprintf(in, sizeof in,
             "{\"resourceShareArn\":\"%s\",\"principals\":[\"arn:aws:iam::" PEER ":role/app\"]}", share);
    ok(OWNER, "AssociateResourceShare", in);
    cr_assert_str_eq(principal_status(share, "arn:aws:iam::" PEER ":role/app"), "ASSOCIATED");
    ok(PEER, "GetResourceShareInvitations", "{}");
    cr_assert_eq(array_size("resourceShareInvitations"), 2);
    free(inv2);
    free(inv);
    free(share);
}

Test(ram, invitation_reject) {
    char *share =
        create_share("{\"name\":\"s\",\"resourceArns\":[\"" SUBNET "\"],\"principals\":[\"" PEER "\"]}");
    char *inv = invitation_of(PEER);
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareInvitationArn\":\"%s\"}", inv);
    ok(PEER, "RejectResourceShareInvitation", in);
    cr_assert_str_eq(path_str("resourceShareInvitation", "status"), "REJECTED");
    fails(PEER, "AcceptResourceShareInvitation", in, "ResourceShareInvitationAlreadyRejectedException");
    fails(PEER, "ListPendingInvitationResources", in, "ResourceShareInvitationAlreadyRejectedException");
    cr_assert_str_eq(principal_status(share, PEER), "FAILED");
    cr_assert_eq(ram_resource_visible(S, PEER, SUBNET), 0);
    free(inv);
    free(share);
}

Test(ram, invitation_expires_after_seven_days) {
    char *share =
        create_share("{\"name\":\"s\",\"resourceArns\":[\"" TGW "\"],\"principals\":[\"" PEER "\"]}");
    char *inv = invitation_of(PEER);
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareInvitationArn\":\"%s\"}", inv);
    clock_advance(S, 7LL * 24 * 3600 * 1000 - 1000);
    ok(PEER, "GetResourceShareInvitations", "{}");
    cr_assert_str_eq(item_str("resourceShareInvitations", 0, "status"), "PENDING");
    cr_assert_gt(clock_advance(S, 2000), 0, "the expiry timer fires");
    ok(PEER, "GetResourceShareInvitations", "{}");
    cr_assert_str_eq(item_str("resourceShareInvitations", 0, "status"), "EXPIRED");
    fails(PEER, "AcceptResourceShareInvitation", in, "ResourceShareInvitationExpiredException");
    fails(PEER, "RejectResourceShareInvitation", in, "ResourceShareInvitationExpiredException");
    cr_assert_str_eq(principal_status(share, PEER), "FAILED");
    /* associating the principal again sends a fresh invitation */
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"principals\":[\"" PEER "\"]}", share);
    ok(OWNER, "AssociateResourceShare", in);
    ok(PEER, "GetResourceShareInvitations", "{}");
    cr_assert_eq(array_size("resourceShareInvitations"), 2);
    cr_assert_str_eq(item_str("resourceShareInvitations", 1, "status"), "PENDING");
    free(inv);
    free(share);
}

static void set_org(int enable) {
    cJSON *spec =
        cJSON_Parse("{\"organizationId\":\"o-abcdefghij\",\"masterAccount\":\"" OWNER
                    "\",\"accounts\":[\"" PEER "\"],\"organizationalUnits\":[{\"id\":\"ou-ab12-cdefgh12\","
                    "\"accounts\":[\"" PEER "\"]}]}");
    sim_error_t e;
    cr_assert_eq(ram_set_organization(S, spec, &e), 0, "%s", e.message);
    cJSON_Delete(spec);
    if (enable) ok(OWNER, "EnableSharingWithAwsOrganization", "{}");
}

Test(ram, organization_sharing_needs_no_invitation) {
    fails(OWNER, "EnableSharingWithAwsOrganization", "{}", "OperationNotPermittedException");
    set_org(0);
    fails(PEER, "EnableSharingWithAwsOrganization", "{}", "OperationNotPermittedException");
    /* before sharing is enabled, the organization cannot be a principal */
    fails(OWNER, "CreateResourceShare",
          "{\"name\":\"o\",\"principals\":[\"arn:aws:organizations::" OWNER ":organization/o-abcdefghij\"]}",
          "OperationNotPermittedException");
    ok(OWNER, "EnableSharingWithAwsOrganization", "{}");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(OUT, "returnValue")));
    fails(OWNER, "CreateResourceShare",
          "{\"name\":\"o\",\"principals\":[\"arn:aws:organizations::" OWNER ":organization/o-zzzzzzzzzz\"]}",
          "UnknownResourceException");
    char *share =
        create_share("{\"name\":\"org\",\"allowExternalPrincipals\":false,\"resourceArns\":[\"" TGW
                     "\"],\"principals\":[\"arn:aws:organizations::" OWNER ":organization/o-abcdefghij\"]}");
    cr_assert_eq(ram_resource_visible(S, PEER, TGW), 1, "org members see the resource at once");
    cr_assert_eq(ram_resource_visible(S, OTHER, TGW), 0);
    ok(PEER, "GetResourceShareInvitations", "{}");
    cr_assert_eq(array_size("resourceShareInvitations"), 0);
    /* account principals inside the organization are associated directly; outside ones are refused
     * when the share does not allow external principals */
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"principals\":[\"" OTHER "\"]}", share);
    fails(OWNER, "AssociateResourceShare", in, "OperationNotPermittedException");
    free(share);
    share =
        create_share("{\"name\":\"acct\",\"resourceArns\":[\"" SUBNET "\"],\"principals\":[\"" PEER "\"]}");
    cr_assert_str_eq(principal_status(share, PEER), "ASSOCIATED");
    cr_assert_eq(ram_resource_visible(S, PEER, SUBNET), 1);
    free(share);
    share = create_share(
        "{\"name\":\"ou\",\"resourceArns\":[\"arn:aws:ec2:us-east-1:111111111111:prefix-list/pl-1\"],"
        "\"principals\":[\"arn:aws:organizations::" OWNER ":ou/o-abcdefghij/ou-ab12-cdefgh12\"]}");
    cr_assert_eq(ram_resource_visible(S, PEER, "arn:aws:ec2:us-east-1:111111111111:prefix-list/pl-1"), 1);
    free(share);
    share = create_share(
        "{\"name\":\"keep\",\"resourceShareConfiguration\":{\"retainSharingOnAccountLeaveOrganization\":"
        "true},\"resourceArns\":[\"arn:aws:ec2:us-east-1:111111111111:capacity-reservation/cr-1\"],"
        "\"principals\":[\"" PEER "\"]}");
    free(share);
    /* an account that leaves the organization loses what was shared with the organization or its OUs */
    cJSON *smaller =
        cJSON_Parse("{\"organizationId\":\"o-abcdefghij\",\"masterAccount\":\"" OWNER "\",\"accounts\":[]}");
    sim_error_t e;
    cr_assert_eq(ram_set_organization(S, smaller, &e), 0, "%s", e.message);
    cJSON_Delete(smaller);
    cr_assert_eq(ram_resource_visible(S, PEER, TGW), 0);
    cr_assert_eq(ram_resource_visible(S, PEER, "arn:aws:ec2:us-east-1:111111111111:prefix-list/pl-1"), 0);
    cr_assert_eq(ram_resource_visible(S, PEER, SUBNET), 0,
                 "an account principal added through the org is lost too");
    cr_assert_eq(
        ram_resource_visible(S, PEER, "arn:aws:ec2:us-east-1:111111111111:capacity-reservation/cr-1"), 1,
        "retainSharingOnAccountLeaveOrganization keeps the account's access");
    ok(OWNER, "CreateResourceShare",
       "{\"name\":\"after\",\"principals\":[\"arn:aws:organizations::" OWNER
       ":organization/o-abcdefghij\"]}");
}

Test(ram, organization_spec_validation) {
    sim_error_t e;
    cJSON *bad = cJSON_Parse("{\"organizationId\":\"org-1\",\"masterAccount\":\"" OWNER "\"}");
    cr_assert_eq(ram_set_organization(S, bad, &e), -1);
    cr_assert_str_eq(e.code, "InvalidParameterException");
    cJSON_Delete(bad);
    set_org(1);
    cJSON *stray =
        cJSON_Parse("{\"organizationId\":\"o-abcdefghij\",\"masterAccount\":\"" OWNER
                    "\",\"organizationalUnits\":[{\"id\":\"ou-ab12-x\",\"accounts\":[\"" OTHER "\"]}]}");
    cr_assert_eq(ram_set_organization(S, stray, &e), -1, "an OU may only hold accounts of the organization");
    cJSON_Delete(stray);
    cJSON *none = cJSON_CreateObject();
    cr_assert_eq(ram_set_organization(S, none, &e), 0);
    cJSON_Delete(none);
    fails(OWNER, "EnableSharingWithAwsOrganization", "{}", "OperationNotPermittedException");
}

Test(ram, wrong_account_cannot_change_share) {
    char *share =
        create_share("{\"name\":\"tgw\",\"resourceArns\":[\"" TGW "\"],\"principals\":[\"" PEER "\"]}");
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"name\":\"x\"}", share);
    fails(OTHER, "UpdateResourceShare", in, "UnknownResourceException");
    /* the invited account can see the share but not change it */
    fails(PEER, "UpdateResourceShare", in, "OperationNotPermittedException");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    fails(PEER, "DeleteResourceShare", in, "OperationNotPermittedException");
    ok(OWNER, "DeleteResourceShare", in);
    fails(OWNER, "DeleteResourceShare", in, "UnknownResourceException");
    /* the pending invitation of a deleted share can no longer be accepted */
    char *inv = invitation_of(PEER);
    cr_assert_str_eq(item_str("resourceShareInvitations", 0, "status"), "EXPIRED");
    snprintf(in, sizeof in, "{\"resourceShareInvitationArn\":\"%s\"}", inv);
    fails(PEER, "AcceptResourceShareInvitation", in, "ResourceShareInvitationExpiredException");
    free(inv);
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    ok(OWNER, "GetResourceShares", "{\"resourceOwner\":\"SELF\",\"resourceShareStatus\":\"DELETED\"}");
    cr_assert_eq(array_size("resourceShares"), 1);
    /* sharing someone else's resource */
    fails(PEER, "CreateResourceShare", "{\"name\":\"x\",\"resourceArns\":[\"" TGW "\"]}",
          "UnknownResourceException");
    free(share);
}

Test(ram, malformed_input) {
    fails(OWNER, "UpdateResourceShare", "{\"resourceShareArn\":\"not-an-arn\"}", "MalformedArnException");
    fails(OWNER, "CreateResourceShare", "{\"name\":\"x\",\"resourceArns\":[\"arn:aws\"]}",
          "MalformedArnException");
    fails(OWNER, "CreateResourceShare", "{\"name\":\"x\",\"resourceArns\":[\"arn:aws:s3:::bucket\"]}",
          "MalformedArnException");
    fails(OWNER, "CreateResourceShare", "{\"name\":\"x\",\"principals\":[\"12345\"]}",
          "InvalidParameterException");
    fails(OWNER, "CreateResourceShare", "{\"name\":\"x\",\"principals\":[\"" OWNER "\"]}",
          "InvalidParameterException");
    fails(OWNER, "CreateResourceShare", "{\"name\":\"x\",\"tags\":[{\"key\":\"aws:x\",\"value\":\"v\"}]}",
          "InvalidParameterException");
    fails(OWNER, "AcceptResourceShareInvitation", "{\"resourceShareInvitationArn\":\"arn:aws:ram:x\"}",
          "MalformedArnException");
    fails(OWNER, "AcceptResourceShareInvitation",
          "{\"resourceShareInvitationArn\":\"arn:aws:ram:us-east-1:111111111111:resource-share-invitation/"
          "nope\"}",
          "ResourceShareInvitationArnNotFoundException");
    fails(OWNER, "GetResourceShares", "{\"resourceOwner\":\"SELF\",\"nextToken\":\"garbage\"}",
          "InvalidNextTokenException");
    fails(OWNER, "GetResourceShareAssociations",
          "{\"associationType\":\"PRINCIPAL\",\"resourceArn\":\"" TGW "\"}", "InvalidParameterException");
    fails(OWNER, "ListResources", "{\"resourceOwner\":\"SELF\",\"resourceType\":\"ec2:Nope\"}",
          "InvalidResourceTypeException");
    fails(OWNER, "GetResourceShares", "{\"resourceOwner\":\"NOBODY\"}", "InvalidParameterException");
}

Test(ram, client_token_idempotency) {
    ok(OWNER, "CreateResourceShare", "{\"name\":\"a\",\"clientToken\":\"tok-1\"}");
    char *first = strdup(path_str("resourceShare", "resourceShareArn"));
    cr_assert_str_eq(path_str("clientToken", NULL), "tok-1");
    ok(OWNER, "CreateResourceShare", "{\"name\":\"a\",\"clientToken\":\"tok-1\"}");
    cr_assert_str_eq(path_str("resourceShare", "resourceShareArn"), first);
    fails(OWNER, "CreateResourceShare", "{\"name\":\"b\",\"clientToken\":\"tok-1\"}",
          "IdempotentParameterMismatchException");
    ok(OWNER, "GetResourceShares", "{\"resourceOwner\":\"SELF\"}");
    cr_assert_eq(array_size("resourceShares"), 1);
    free(first);
}

Test(ram, paging) {
    for (int i = 0; i < 3; i++) {
        char in[64];
        snprintf(in, sizeof in, "{\"name\":\"s%d\"}", i);
        ok(OWNER, "CreateResourceShare", in);
    }
    ok(OWNER, "GetResourceShares", "{\"resourceOwner\":\"SELF\",\"maxResults\":2}");
    cr_assert_eq(array_size("resourceShares"), 2);
    char in[128];
    snprintf(in, sizeof in, "{\"resourceOwner\":\"SELF\",\"maxResults\":2,\"nextToken\":\"%s\"}",
             path_str("nextToken", NULL));
    ok(OWNER, "GetResourceShares", in);
    cr_assert_eq(array_size("resourceShares"), 1);
    cr_assert_str_eq(item_str("resourceShares", 0, "name"), "s2");
    cr_assert_null(cJSON_GetObjectItem(OUT, "nextToken"));
}

Test(ram, customer_managed_permission_versions) {
    ok(OWNER, "CreatePermission",
       "{\"name\":\"TgwAttach\",\"resourceType\":\"ec2:TransitGateway\",\"policyTemplate\":"
       "\"{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"ec2:CreateTransitGatewayVpcAttachment\\\"]}\"}");
    char *arn = strdup(path_str("permission", "arn"));
    cr_assert_str_eq(arn, "arn:aws:ram:us-east-1:111111111111:permission/TgwAttach");
    cr_assert_str_eq(path_str("permission", "permissionType"), "CUSTOMER_MANAGED");
    cr_assert_str_eq(path_str("permission", "version"), "1");
    fails(OWNER, "CreatePermission",
          "{\"name\":\"TgwAttach\",\"resourceType\":\"ec2:TransitGateway\",\"policyTemplate\":"
          "\"{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"ec2:DescribeTransitGateways\\\"]}\"}",
          "PermissionAlreadyExistsException");
    fails(OWNER, "CreatePermission",
          "{\"name\":\"Bad\",\"resourceType\":\"ec2:TransitGateway\",\"policyTemplate\":\"{not json\"}",
          "MalformedPolicyTemplateException");
    fails(OWNER, "CreatePermission",
          "{\"name\":\"Bad\",\"resourceType\":\"ec2:TransitGateway\",\"policyTemplate\":"
          "\"{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"s3:GetObject\\\"]}\"}",
          "InvalidPolicyException");
    fails(OWNER, "CreatePermission",
          "{\"name\":\"Bad\",\"resourceType\":\"ec2:Nothing\",\"policyTemplate\":\"{}\"}",
          "InvalidParameterException");

    char in[600];
    snprintf(in, sizeof in,
             "{\"permissionArn\":\"%s\",\"policyTemplate\":\"{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":"
             "[\\\"ec2:DescribeTransitGateways\\\"]}\"}",
             arn);
    ok(OWNER, "CreatePermissionVersion", in);
    cr_assert_str_eq(path_str("permission", "version"), "2");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(OUT, "permission"), "defaultVersion")));

    /* a share uses version 1; after making version 2 the default, Replace moves it */
    char *share = create_share("{\"name\":\"tgw\",\"resourceArns\":[\"" TGW "\"]}");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"permissionArn\":\"%s\"}", share, arn);
    fails(OWNER, "AssociateResourceSharePermission", in, "InvalidParameterException");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"permissionArn\":\"%s\",\"replace\":true}", share,
             arn);
    ok(OWNER, "AssociateResourceSharePermission", in);
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"permissionVersion\":2}", arn);
    ok(OWNER, "SetDefaultPermissionVersion", in);
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"permissionVersion\":2}", arn);
    fails(OWNER, "DeletePermissionVersion", in, "InvalidParameterException");
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"permissionVersion\":1}", arn);
    fails(OWNER, "DeletePermissionVersion", in, "OperationNotPermittedException");
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"defaultVersion\":false}", arn);
    ok(OWNER, "ListPermissionAssociations", in);
    cr_assert_eq(array_size("permissions"), 1);
    snprintf(in, sizeof in, "{\"fromPermissionArn\":\"%s\",\"toPermissionArn\":\"%s\"}", arn, arn);
    ok(OWNER, "ReplacePermissionAssociations", in);
    cr_assert_str_eq(path_str("replacePermissionAssociationsWork", "status"), "IN_PROGRESS");
    ok(OWNER, "ListReplacePermissionAssociationsWork", "{}");
    cr_assert_str_eq(item_str("replacePermissionAssociationsWorks", 0, "status"), "COMPLETED");
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"defaultVersion\":true}", arn);
    ok(OWNER, "ListPermissionAssociations", in);
    cr_assert_eq(array_size("permissions"), 1);
    cr_assert_str_eq(item_str("permissions", 0, "permissionVersion"), "2");
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"permissionVersion\":1}", arn);
    ok(OWNER, "DeletePermissionVersion", in);
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\"}", arn);
    ok(OWNER, "ListPermissionVersions", in);
    cr_assert_eq(array_size("permissions"), 1);
    fails(OWNER, "DeletePermission", in, "OperationNotPermittedException");
    fails(PEER, "GetPermission", in, "UnknownResourceException");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    ok(OWNER, "DeleteResourceShare", in);
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\"}", arn);
    ok(OWNER, "DeletePermission", in);
    cr_assert_str_eq(path_str("permissionStatus", NULL), "DELETED");
    fails(OWNER, "GetPermission", in, "UnknownResourceException");
    free(share);
    free(arn);
}

Test(ram, aws_managed_permissions_and_types) {
    ok(OWNER, "ListPermissions", "{\"resourceType\":\"ec2:transitgateway\"}");
    cr_assert_eq(array_size("permissions"), 1);
    cr_assert_str_eq(item_str("permissions", 0, "arn"),
                     "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionTransitGateway");
    cr_assert_str_eq(item_str("permissions", 0, "permissionType"), "AWS_MANAGED");
    ok(OWNER, "GetPermission",
       "{\"permissionArn\":\"arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet\"}");
    cJSON *policy = cJSON_Parse(path_str("permission", "permission"));
    cr_assert_not_null(policy);
    cr_assert_str_eq(jstr(policy, "Effect"), "Allow");
    cJSON_Delete(policy);
    fails(OWNER, "DeletePermission",
          "{\"permissionArn\":\"arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet\"}",
          "OperationNotPermittedException");
    fails(OWNER, "GetPermission", "{\"permissionArn\":\"arn:aws:ram::aws:permission/Nope\"}",
          "UnknownResourceException");
    ok(OWNER, "ListResourceTypes", "{\"resourceRegionScope\":\"GLOBAL\"}");
    cr_assert_eq(array_size("resourceTypes"), 1);
    cr_assert_str_eq(item_str("resourceTypes", 0, "resourceType"), "networkmanager:CoreNetwork");
}

Test(ram, resource_policies_follow_associations) {
    char *share =
        create_share("{\"name\":\"tgw\",\"resourceArns\":[\"" TGW "\"],\"principals\":[\"" PEER "\"]}");
    ok(OWNER, "GetResourcePolicies", "{\"resourceArns\":[\"" TGW "\"]}");
    cr_assert_eq(array_size("policies"), 0, "no policy while the invitation is pending");
    char *inv = invitation_of(PEER);
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareInvitationArn\":\"%s\"}", inv);
    ok(PEER, "AcceptResourceShareInvitation", in);
    ok(OWNER, "GetResourcePolicies", "{\"resourceArns\":[\"" TGW "\"]}");
    cr_assert_eq(array_size("policies"), 1);
    const char *policy = cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(OUT, "policies"), 0));
    cr_assert_not_null(policy);
    cr_assert_not_null(strstr(policy, "arn:aws:iam::222222222222:root"), "%s", policy);
    cr_assert_not_null(strstr(policy, "ec2:CreateTransitGatewayVpcAttachment"), "%s", policy);
    fails(PEER, "GetResourcePolicies", "{\"resourceArns\":[\"" TGW "\"]}", "ResourceArnNotFoundException");
    free(inv);
    free(share);
}

Test(ram, tags) {
    char *share = create_share("{\"name\":\"t\"}");
    char in[400];
    snprintf(in, sizeof in,
             "{\"resourceShareArn\":\"%s\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\","
             "\"value\":\"2\"}]}",
             share);
    ok(OWNER, "TagResource", in);
    fails(PEER, "TagResource", in, "UnknownResourceException");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"tagKeys\":[\"a\"]}", share);
    ok(OWNER, "UntagResource", in);
    ok(OWNER, "GetResourceShares",
       "{\"resourceOwner\":\"SELF\",\"tagFilters\":[{\"tagKey\":\"b\",\"tagValues\":[\"2\"]}]}");
    cr_assert_eq(array_size("resourceShares"), 1);
    ok(OWNER, "GetResourceShares", "{\"resourceOwner\":\"SELF\",\"tagFilters\":[{\"tagKey\":\"a\"}]}");
    cr_assert_eq(array_size("resourceShares"), 0);
    fails(OWNER, "TagResource", "{\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]}", "InvalidParameterException");
    /* the 50-tag limit */
    char big[4096] = "{\"resourceShareArn\":\"";
    strcat(big, share);
    strcat(big, "\",\"tags\":[");
    for (int i = 0; i < 50; i++) {
        char t[48];
        snprintf(t, sizeof t, "%s{\"key\":\"k%d\",\"value\":\"v\"}", i ? "," : "", i);
        strcat(big, t);
    }
    strcat(big, "]}");
    fails(OWNER, "TagResource", big, "TagLimitExceededException");
    free(share);
}

Test(ram, created_from_policy_promotion) {
    char share[256], perm[256];
    sim_error_t e;
    cr_assert_eq(ram_create_share_from_policy(S, OWNER, "us-east-1", SUBNET, PEER,
                                              "{\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeSubnets\"]}",
                                              share, perm, &e),
                 0, "%s", e.message);
    cr_assert_eq(ram_resource_visible(S, PEER, SUBNET), 1);
    char in[400];
    /* until promoted, the share is the owner's alone and RAM cannot change it */
    ok(PEER, "GetResourceShares", "{\"resourceOwner\":\"OTHER-ACCOUNTS\"}");
    cr_assert_eq(array_size("resourceShares"), 0);
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"principals\":[\"" OTHER "\"]}", share);
    fails(OWNER, "AssociateResourceShare", in, "OperationNotPermittedException");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    fails(OWNER, "DeleteResourceShare", in, "OperationNotPermittedException");
    fails(OWNER, "PromoteResourceShareCreatedFromPolicy", in, "UnmatchedPolicyPermissionException");
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\",\"name\":\"Promoted\"}", perm);
    ok(OWNER, "PromotePermissionCreatedFromPolicy", in);
    cr_assert_str_eq(path_str("permission", "featureSet"), "STANDARD");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    ok(OWNER, "PromoteResourceShareCreatedFromPolicy", in);
    ok(OWNER, "ListResourceSharePermissions", in);
    cr_assert_str_eq(item_str("permissions", 0, "name"), "Promoted");
    snprintf(in, sizeof in, "{\"resourceOwner\":\"SELF\",\"resourceShareArns\":[\"%s\"]}", share);
    ok(OWNER, "GetResourceShares", in);
    cr_assert_str_eq(item_str("resourceShares", 0, "featureSet"), "STANDARD");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    fails(OWNER, "PromoteResourceShareCreatedFromPolicy", in, "OperationNotPermittedException");
    ok(PEER, "GetResourceShares", "{\"resourceOwner\":\"OTHER-ACCOUNTS\"}");
    cr_assert_eq(array_size("resourceShares"), 1, "a promoted share is visible to its principals");
    /* the original CREATED_FROM_POLICY permission is kept */
    snprintf(in, sizeof in, "{\"permissionArn\":\"%s\"}", perm);
    ok(OWNER, "GetPermission", in);
    cr_assert_str_eq(path_str("permission", "featureSet"), "CREATED_FROM_POLICY");

    /* a second policy with the same IAM permissions promotes straight to the existing permission */
    cr_assert_eq(ram_create_share_from_policy(
                     S, OWNER, "us-east-1", "arn:aws:ec2:us-east-1:111111111111:subnet/s-2", OTHER,
                     "{\"Action\":[\"ec2:DescribeSubnets\"],\"Effect\":\"Allow\"}", share, perm, &e),
                 0, "%s", e.message);
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\"}", share);
    ok(OWNER, "PromoteResourceShareCreatedFromPolicy", in);
    ok(OWNER, "ListResourceSharePermissions", in);
    cr_assert_str_eq(item_str("permissions", 0, "name"), "Promoted");
}

Test(ram, sources_and_resource_associations) {
    char *share = create_share("{\"name\":\"src\",\"sources\":[\"" PEER "\"]}");
    ok(OWNER, "ListSourceAssociations", "{}");
    cr_assert_eq(array_size("sourceAssociations"), 1);
    cr_assert_str_eq(item_str("sourceAssociations", 0, "sourceId"), PEER);
    char in[400];
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"resourceArns\":[\"" SUBNET "\"]}", share);
    ok(OWNER, "AssociateResourceShare", in);
    cr_assert_str_eq(item_str("resourceShareAssociations", 0, "status"), "ASSOCIATING");
    ok(OWNER, "GetResourceShareAssociations", "{\"associationType\":\"RESOURCE\"}");
    cr_assert_str_eq(item_str("resourceShareAssociations", 0, "status"), "ASSOCIATED");
    snprintf(in, sizeof in, "{\"resourceShareArn\":\"%s\",\"resourceArns\":[\"" TGW "\"]}", share);
    fails(OWNER, "DisassociateResourceShare", in, "UnknownResourceException");
    free(share);
}
