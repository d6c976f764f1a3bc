"""AWS-shaped identifiers and computed attributes for resources of non-emulated services.

Used to complete what awssim's generic registry answers (computed attributes a program reads,
like an Aurora cluster's endpoint or a Lambda's invoke ARN) and as the whole answer when the
server has no registry. Ids follow AWS's formats (vpc-<17 hex>, subnet-..., Z<id> ...), derived
from a hash of (type, name, account, region) so reruns give the same ids.
"""

import hashlib

ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/customerGateway:CustomerGateway": "cgw-",
    "aws:ec2/vpnConnection:VpnConnection": "vpn-",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "tgw-",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "tgw-attach-",
    "aws:apigateway/restApi:RestApi": "",
    "aws:apigateway/resource:Resource": "",
    "aws:apigateway/authorizer:Authorizer": "",
    "aws:apigateway/deployment:Deployment": "",
}
SHORT_ID = {"aws:apigateway/restApi:RestApi", "aws:apigateway/resource:Resource",
            "aws:apigateway/authorizer:Authorizer", "aws:apigateway/deployment:Deployment"}
ARN_ID = {"aws:sns/topic:Topic", "aws:sns/topicSubscription:TopicSubscription"}


# Resources the provider auto-names when the program gives no name (property that gets it).
AUTONAMED = {
    "aws:s3/bucket:Bucket": "bucket", "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:sns/topic:Topic": "name", "aws:sqs/queue:Queue": "name", "aws:lambda/function:Function": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name", "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:cloudwatch/eventRule:EventRule": "name", "aws:iam/policy:Policy": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name", "aws:apigateway/restApi:RestApi": "name",
    "aws:secretsmanager/secret:Secret": "name", "aws:dynamodb/table:Table": "name",
    "aws:kinesis/stream:Stream": "name", "aws:ecs/cluster:Cluster": "name",
    "aws:rds/cluster:Cluster": "clusterIdentifier", "aws:rds/clusterInstance:ClusterInstance": "identifier",
    "aws:rds/subnetGroup:SubnetGroup": "name", "aws:rds/clusterParameterGroup:ClusterParameterGroup": "name",
    "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
}


def autoname(typ, name, inputs, suffix):
    """Inputs completed with the provider's auto-name (`<logical>-<7 hex>` or namePrefix + hex)."""
    prop = AUTONAMED.get(typ)
    if prop is None or inputs.get(prop):
        return inputs
    prefix = inputs.get("namePrefix") or inputs.get("bucketPrefix")
    value = f"{prefix}{suffix}" if prefix else f"{name}-{suffix[:7]}"
    if typ.startswith("aws:s3/"):
        value = value.lower()
    return {**inputs, prop: value}


def _hex(*parts, n=17):
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:n]


def service_of(typ):
    return typ.split(":")[1].split("/")[0]


def resource_kind(typ):
    kind = typ.split(":")[-1]
    return kind[:1].lower() + kind[1:]


def synthesize(typ, name, inputs, account, region, rid=None):
    """(id, state) for a resource, state holding the AWS-computed attributes. With rid (the id
    awssim's registry assigned) the computed attributes derive from that id."""
    svc = service_of(typ)
    phys = inputs.get("name") or name
    h = _hex(typ, name, account, region)
    if rid is None:
        rid = ID_PREFIX.get(typ, "") + (h[:10] if typ in SHORT_ID else h) if typ in ID_PREFIX else phys
    arn = f"arn:aws:{svc}:{region}:{account}:{resource_kind(typ)}/{rid}"
    st = {"id": rid, "arn": arn}
    fn = COMPUTED.get(typ)
    if fn:
        st.update(fn(name=name, phys=phys, inputs=inputs, account=account, region=region, h=h, rid=rid))
    if typ in ARN_ID:
        st["id"] = st["arn"]
    return st["id"], st


def _is_uuid(text):
    return len(text) == 36 and text.count("-") == 4


def _bucket(phys, inputs, **_):
    bucket = inputs.get("bucket") or phys
    return {"id": bucket, "bucket": bucket, "arn": f"arn:aws:s3:::{bucket}",
            "bucketDomainName": f"{bucket}.s3.amazonaws.com", "bucketRegionalDomainName": f"{bucket}.s3.amazonaws.com"}


def _kms_key(account, region, h, rid, **_):
    key_id = rid if _is_uuid(rid) else f"{h[:8]}-{h[8:12]}-4{h[12:15]}-8{h[15:17]}a-{_hex(h, n=12)}"
    return {"id": key_id, "keyId": key_id, "arn": f"arn:aws:kms:{region}:{account}:key/{key_id}"}


def _rds_cluster(inputs, phys, account, region, h, **_):
    cid = inputs.get("clusterIdentifier") or phys
    suffix = h[:12]
    return {"id": cid, "clusterIdentifier": cid, "arn": f"arn:aws:rds:{region}:{account}:cluster:{cid}",
            "endpoint": f"{cid}.cluster-{suffix}.{region}.rds.amazonaws.com",
            "readerEndpoint": f"{cid}.cluster-ro-{suffix}.{region}.rds.amazonaws.com",
            "port": inputs.get("port") or 5432, "clusterResourceId": f"cluster-{h[:26].upper()}"}


def _rds_instance(inputs, phys, account, region, h, **_):
    iid = inputs.get("identifier") or phys
    return {"id": iid, "identifier": iid, "arn": f"arn:aws:rds:{region}:{account}:db:{iid}",
            "endpoint": f"{iid}.{h[:12]}.{region}.rds.amazonaws.com", "writer": False}


def _lambda(phys, account, region, **_):
    arn = f"arn:aws:lambda:{region}:{account}:function:{phys}"
    return {"id": phys, "arn": arn, "qualifiedArn": f"{arn}:$LATEST", "version": "$LATEST",
            "invokeArn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"}


def _rest_api(account, region, rid, **_):
    return {"rootResourceId": _hex(rid, "root", n=10),
            "executionArn": f"arn:aws:execute-api:{region}:{account}:{rid}",
            "arn": f"arn:aws:apigateway:{region}::/restapis/{rid}"}


def _stage(inputs, region, **_):
    api, stage = inputs.get("restApi"), inputs.get("stageName")
    return {"id": f"ags-{api}-{stage}", "invokeUrl": f"https://{api}.execute-api.{region}.amazonaws.com/{stage}",
            "arn": f"arn:aws:apigateway:{region}::/restapis/{api}/stages/{stage}",
            "executionArn": f"arn:aws:execute-api:{region}::{api}/{stage}"}


def _log_group(phys, account, region, **_):
    return {"id": phys, "arn": f"arn:aws:logs:{region}:{account}:log-group:{phys}"}


def _topic(phys, account, region, **_):
    return {"arn": f"arn:aws:sns:{region}:{account}:{phys}"}


def _subscription(inputs, h, **_):
    return {"arn": f"{inputs.get('topic')}:{h[:8]}-{h[8:12]}-{h[12:16]}"}


def _ssm_param(phys, account, region, **_):
    return {"id": phys, "arn": f"arn:aws:ssm:{region}:{account}:parameter{phys}", "version": 1}


def _dashboard(inputs, phys, account, **_):
    name = inputs.get("dashboardName") or phys
    return {"id": name, "dashboardArn": f"arn:aws:cloudwatch::{account}:dashboard/{name}"}


def _alarm(phys, account, region, **_):
    return {"id": phys, "arn": f"arn:aws:cloudwatch:{region}:{account}:alarm:{phys}"}


def _global_cluster(inputs, phys, account, **_):
    gid = inputs.get("globalClusterIdentifier") or phys
    return {"id": gid, "arn": f"arn:aws:rds::{account}:global-cluster:{gid}"}


def _tgw(account, region, rid, **_):
    return {"arn": f"arn:aws:ec2:{region}:{account}:transit-gateway/{rid}",
            "associationDefaultRouteTableId": "tgw-rtb-" + rid[4:], "propagationDefaultRouteTableId": "tgw-rtb-" + rid[4:]}


def _vpc(account, region, rid, **_):
    return {"arn": f"arn:aws:ec2:{region}:{account}:vpc/{rid}", "mainRouteTableId": "rtb-" + rid[4:],
            "defaultSecurityGroupId": "sg-" + rid[4:]}


COMPUTED = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:kms/key:Key": _kms_key,
    "aws:rds/cluster:Cluster": _rds_cluster,
    "aws:rds/clusterInstance:ClusterInstance": _rds_instance,
    "aws:rds/globalCluster:GlobalCluster": _global_cluster,
    "aws:lambda/function:Function": _lambda,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/stage:Stage": _stage,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:sns/topic:Topic": _topic,
    "aws:sns/topicSubscription:TopicSubscription": _subscription,
    "aws:ssm/parameter:Parameter": _ssm_param,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:ec2transitgateway/transitGateway:TransitGateway": _tgw,
    "aws:ec2/vpc:Vpc": _vpc,
}
