"""API Gateway (REST, regional) in front of the payment system during the transition.

Routes (all protected by the custom Lambda TOKEN authorizer):
  /payments/{proxy+}  weighted: the stage sends traffic to the legacy system (stage variable
                      backendUrl) and its canary sends `newSystemTrafficPercent` % of requests to
                      the new system (canary override of backendUrl)
  /legacy/{proxy+}    always the on-premises system
  /migrated/{proxy+}  always the new system on AWS
The rollback Lambda and the state machine move the share by patching the stage canary.
"""

import hashlib
import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .providers import opts

STAGE = "live"
ROUTES = {
    "payments": "${stageVariables.backendUrl}/{proxy}",
    "legacy": "${stageVariables.legacyUrl}/{proxy}",
    "migrated": "${stageVariables.migratedUrl}/{proxy}",
}


@dataclass
class Api:
    rest_api: object
    stage: object
    authorizer: object

    @property
    def endpoint(self):
        return self.stage.invoke_url

    def route_url(self, route):
        return self.stage.invoke_url.apply(lambda u: f"{u.rstrip('/')}/{route}")


def build(c, authorizer_fn, new_system_endpoint, provider):
    api = aws.apigateway.RestApi(
        c.name("payments-api"),
        name=c.name("payments-api"),
        description="Payment API during migration: routes to legacy or new system",
        endpoint_configuration={"types": "REGIONAL"},
        opts=opts(provider),
    )
    authorizer = aws.apigateway.Authorizer(
        c.name("payments-authorizer"),
        name=c.name("payments-authorizer"),
        rest_api=api.id,
        type="TOKEN",
        authorizer_uri=authorizer_fn.function.invoke_arn,
        identity_source="method.request.header.Authorization",
        identity_validation_expression=r"^Bearer [-0-9A-Za-z._~+/]+=*$",
        authorizer_result_ttl_in_seconds=300,
        opts=opts(provider, parent=api),
    )
    aws.lambda_.Permission(
        c.name("authorizer-invoke"),
        action="lambda:InvokeFunction",
        function=authorizer_fn.function.name,
        principal="apigateway.amazonaws.com",
        source_arn=api.execution_arn.apply(lambda a: f"{a}/authorizers/*"),
        opts=opts(provider, parent=api),
    )
    parts = []
    for route, uri in ROUTES.items():
        base = aws.apigateway.Resource(
            c.name(f"api-{route}"), rest_api=api.id, parent_id=api.root_resource_id, path_part=route,
            opts=opts(provider, parent=api),
        )
        proxy = aws.apigateway.Resource(
            c.name(f"api-{route}-proxy"), rest_api=api.id, parent_id=base.id, path_part="{proxy+}",
            opts=opts(provider, parent=api),
        )
        method = aws.apigateway.Method(
            c.name(f"api-{route}-any"),
            rest_api=api.id,
            resource_id=proxy.id,
            http_method="ANY",
            authorization="CUSTOM",
            authorizer_id=authorizer.id,
            request_parameters={"method.request.path.proxy": True},
            opts=opts(provider, parent=api),
        )
        integration = aws.apigateway.Integration(
            c.name(f"api-{route}-integration"),
            rest_api=api.id,
            resource_id=proxy.id,
            http_method=method.http_method,
            type="HTTP_PROXY",
            integration_http_method="ANY",
            uri=uri,
            request_parameters={"integration.request.path.proxy": "method.request.path.proxy"},
            timeout_milliseconds=29000,
            opts=opts(provider, parent=api),
        )
        parts += [method, integration]
    fingerprint = hashlib.sha256(json.dumps(ROUTES, sort_keys=True).encode()).hexdigest()
    deployment = aws.apigateway.Deployment(
        c.name("payments-api-deployment"),
        rest_api=api.id,
        description=f"routes {fingerprint[:12]}",
        triggers={"routes": fingerprint},
        opts=opts(provider, parent=api, depends_on=parts),
    )
    legacy = c.legacy_api_endpoint.rstrip("/")
    stage = aws.apigateway.Stage(
        c.name("payments-api-stage"),
        rest_api=api.id,
        deployment=deployment.id,
        stage_name=STAGE,
        xray_tracing_enabled=True,
        variables={"backendUrl": legacy, "legacyUrl": legacy, "migratedUrl": new_system_endpoint},
        canary_settings={
            "deployment_id": deployment.id,
            "percent_traffic": c.new_system_traffic_percent,
            "stage_variable_overrides": {"backendUrl": new_system_endpoint},
            "use_stage_cache": False,
        },
        opts=opts(provider, parent=api),
    )
    aws.apigateway.MethodSettings(
        c.name("payments-api-metrics"),
        rest_api=api.id,
        stage_name=stage.stage_name,
        method_path="*/*",
        settings={"metrics_enabled": True, "throttling_burst_limit": 500, "throttling_rate_limit": 1000},
        opts=opts(provider, parent=api),
    )
    return Api(rest_api=api, stage=stage, authorizer=authorizer)


def stage_arn(c, api):
    return pulumi.Output.concat("arn:aws:apigateway:", c.primary_region, "::/restapis/", api.rest_api.id,
                                "/stages/", STAGE)
