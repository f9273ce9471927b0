"""The kubeharden example app (examples/app/main.ts) written in Python.

A small shop with a web front end, an API and a PostgreSQL database, every object
hardened by default and every flow explicit:

    ingress-nginx --8080--> web --8080--> api --5432--> db

    python app.py OUTDIR    synthesizes it to OUTDIR (the Guard fails synth on any finding)

test/python/run.sh installs the kubeharden wheel (built by jsii-pacmak) with cdk8s and
constructs from PyPI, runs this, and checks that it synthesizes exactly what the
TypeScript example does, with no finding.
"""
import sys

from cdk8s import ApiObject, ApiObjectMetadata, App, Chart, JsonPatch
from kubeharden import (
    Acknowledgement, AuditLevel, AuditPolicy, AuditResources, AuditRule, ContainerLimits,
    ContainerPort, ContainerResources, Guard, HardenedDeployment,
    HardenedInitContainerProps, HardenedNamespace,
    HardenedStatefulSet, HealthProbe, LeastPrivilegeRole, NamespaceQuota, NetworkPeer,
    NetworkPort, PersistentStorage, Profile, RolePermission, RoleSubject, SealedSecretRef,
    SubjectKind,
)

# Namespace of the shop.
NAMESPACE = "shop"

# Images, pinned by tag and digest.
IMAGES = {
    "web": "registry.example.com/shop/web:2.3.0@sha256:5c1f0cbbd1e0a3bd8f2d3b1c4f3a8e2b9d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f",
    "api": "registry.example.com/shop/api:1.8.4@sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
    "postgres": "registry.example.com/mirror/postgres:16.4@sha256:1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3",
    "migrate": "registry.example.com/shop/migrate:1.8.4@sha256:3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a",
    "exporter": "registry.example.com/mirror/nginx-exporter:1.3.0@sha256:7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e",
}

# The database credentials, sealed for namespace shop, name db-credentials
# (`kubeseal --raw --namespace shop --name db-credentials --from-file=/dev/stdin`).
# Only the cluster's sealed-secrets controller can decrypt them.
SEALED_DB_CREDENTIALS = {
    "username": (
        "AgCgyQlQ88Uys8VzWxMtxHKS+ofwrEdY47224hpNGxfa5bglc2wSFP1TsDsCCfMEoDnO80367cjYpCpd3tjtB7UwQQNlEG2C6ayy"
        "dJ3A7jqUsspxD0LvEVbSgbYG2fJ/cDwJQDjZJa7rUAPKQV9wJQrvHG3LXAnuIKehwUsD8YaKBSOuNCX17nS0FVb47dt3q8WSmwEm"
        "+95/E4yC5LGI3uBrw/YvkqQ9vpUO6FEgDbB251UOZ1k4DfMTvGTRlQe74ADHFJ4edUbHzMas9Z6QsgUcrHDgL5QKDVZ0+UwAXY44"
        "4PB58yd1Q6jOSJ3hL5qY0P7TgZbUuwpIbLhohpJaBsHMhcRMAnfEcPx+C1LI2iUgrRXY46FK5q5oErVVghEKmYKhzX+btKwSCg3I"
        "At0b/FWIMZWFr2hWvSJntb3d9LopVwhzsHoO72XJKIjRHUNSfr7NGFq+xzAsBa4oPMDSId7sesb+PIAX88jsY3FoGWCuihyN53Db"
        "Oc66VbobXggTJrViENNdrRJ0X0ks/YWKCxZEGM20GHcy+jWUfkdl+uuGO3bXrkPXy9aKh2/oKEvPcBSFJ+BQ6BoZ9/6WggCuqs0w"
        "MxfJKPi/fx5LbiZHh0ZRBr0xhxnfTc2+on8HrfIAVTVMGq3t4X3EauOYRtAUfsNfzRkAM93Yo3h8jtLDTVIvp44KBQ8SoSiGmbJj"
        "WztnW3cYIRqX"
    ),
    "password": (
        "AgBGVis9XF1SuFQGXSKNDGUT12ucMaTIKcpHGInnPHBuZxE12e5tOUsodmANc/BNJPev+Y8bgA05wZbDUQwCQ7DcFezDDAgEKwGJ"
        "U+QvgbaXBcKIDLh5meaz18AA8E3aywfJKRjRzVBrQDCwiD9VpzS11mNtRH51AvuMLSdIHELZA2XfVGzg4H9AmDE4yVYKpEW32FT2"
        "8vH97P6+L0vEfEHzXhI6zwhCkxcDmX07EbbAATJhu71nI0usMCdoDjWPtcMWA7sO/BnriJU/6XHrSDZSPKWL2cm4wWfi7hvkIupv"
        "QPhITohAgvCyx7JrNyIcZfBHpv2H7+EKpnTpfQYCG6Un/Y0eZklb5luN3Q+nudJ04UDWx/052MUkyOzIOQWJmodpfMhm2hEdFEJ5"
        "BP0jL4kanP3Hkm9rrP1hIuYJmU1EsaQIsdVp9yChcOViflinjADXFsmayTVOVkL9jvfMSu8EzsIFPcZ6eBnvbp3OhimcwL80U/4Q"
        "nGiGfDguCYSOeOa/yiJiEoPMruCMXBvlGfJnetjzonYHJREdItiF+zK9tjAChH4iOYFQ/JCihU+OMXFEdvL5q6QdnB9R58cd9rcq"
        "CBs6NhdT5cctKnEGyu4ttaqgB7n73DctHxKUGbBaj8hXtyMDkr89JsGXENl6O8bDg3CecAHpa0l/jw9CiyKpdyiE3QbGsG1Joi73"
        "9GGoJUNmMdfE3llZ5+QBKE7D7s1NTvsEtyuSo98="
    ),
}


def build_app(outdir: str) -> App:
    """Builds the example app; app.synth() writes it to outdir."""
    app = App(outdir=outdir)
    shop = Chart(app, "shop", namespace=NAMESPACE, disable_resource_name_hashes=True)
    # Every object of the chart is checked at synth: any finding fails app.synth().
    Guard.of(shop, profile=Profile.HARDENED)

    # Pod Security Admission restricted (enforced, pinned), default-deny network policy.
    HardenedNamespace(
        shop, "namespace",
        name=NAMESPACE,
        quota=NamespaceQuota(requests_cpu="4", limits_cpu="8", requests_memory="8Gi", limits_memory="16Gi",
                             pods=30, requests_storage="50Gi"),
        limits=ContainerLimits(max_cpu="2", max_memory="4Gi"),
    )

    credentials = SealedSecretRef(shop, "db-credentials", name="db-credentials", encrypted_data=SEALED_DB_CREDENTIALS)

    db = HardenedStatefulSet(
        shop, "db",
        name="db",
        image=IMAGES["postgres"],
        run_as_user=70,
        run_as_group=70,
        ports=[ContainerPort(port=5432, name="postgres")],
        env={"PGDATA": "/var/lib/postgresql/data/pgdata", "POSTGRES_DB": "shop"},
        secret_env={
            "POSTGRES_USER": credentials.env_value("username"),
            "POSTGRES_PASSWORD": credentials.env_value("password"),
        },
        storage=[PersistentStorage(name="data", mount_path="/var/lib/postgresql/data", size="20Gi")],
        writable_paths=["/var/run/postgresql"],
        resources=ContainerResources(cpu_request="250m", cpu_limit="1", memory_request="512Mi", memory_limit="1Gi"),
        readiness_probe=HealthProbe(command=["pg_isready", "-U", "shop"], period_seconds=5),
        liveness_probe=HealthProbe(port=5432, period_seconds=20),
    )

    api = HardenedDeployment(
        shop, "api",
        name="api",
        image=IMAGES["api"],
        replicas=3,
        ports=[ContainerPort(port=8080)],
        env={"DB_HOST": "db", "DB_PORT": "5432", "DB_NAME": "shop", "FEATURE_FLAGS_CONFIGMAP": "feature-flags",
             "LOG_LEVEL": "info"},
        secret_env={
            "DB_USER": credentials.env_value("username"),
            "DB_PASSWORD": credentials.env_value("password"),
        },
        readiness_probe=HealthProbe(http_path="/ready", period_seconds=5),
        liveness_probe=HealthProbe(http_path="/healthz"),
        # the schema migrations run before the API starts, with the same hardened defaults
        init_containers=[HardenedInitContainerProps(
            name="migrate",
            image=IMAGES["migrate"],
            args=["migrate", "up"],
            env={"DB_HOST": "db", "DB_PORT": "5432", "DB_NAME": "shop"},
            secret_env={"DB_USER": credentials.env_value("username"), "DB_PASSWORD": credentials.env_value("password")},
        )],
        # the API watches its feature flags through the Kubernetes API
        mount_service_account_token=Acknowledgement(
            reason="the API watches the feature-flags ConfigMap through the Kubernetes API"),
    )

    web = HardenedDeployment(
        shop, "web",
        name="web",
        image=IMAGES["web"],
        replicas=2,
        ports=[ContainerPort(port=8080)],
        env={"API_URL": "http://api:8080"},
        writable_paths=["/var/cache/nginx"],
        readiness_probe=HealthProbe(http_path="/", period_seconds=5),
        liveness_probe=HealthProbe(http_path="/"),
        # only the ingress controller reaches the front end
        allow_from=[NetworkPeer(namespace_name="ingress-nginx", pod_labels={"app.kubernetes.io/name": "ingress-nginx"})],
    )

    # a metrics exporter beside nginx, hardened like the main container
    web.add_container(
        name="exporter",
        image=IMAGES["exporter"],
        args=["--nginx.scrape-uri=http://localhost:8080/stub_status"],
        ports=[ContainerPort(port=9113, name="metrics")],
        resources=ContainerResources(cpu_request="20m", cpu_limit="100m", memory_request="32Mi", memory_limit="64Mi"),
    )

    # The only flows: ingress -> web -> api -> db (and DNS).
    web.allow_to(api.peer(), [NetworkPort(port=8080)])
    api.allow_from(web.peer())
    api.allow_to(db.peer(), [NetworkPort(port=5432)])
    db.allow_from(api.peer())
    # the API talks to the Kubernetes API server for its feature flags
    api.allow_to(NetworkPeer(cidr="10.96.0.1/32"), [NetworkPort(port=443)])

    # A plain cdk8s object: the Guard checks it like the rest of the chart.
    flags = ApiObject(shop, "feature-flags", api_version="v1", kind="ConfigMap",
                      metadata=ApiObjectMetadata(name="feature-flags"))
    flags.add_json_patch(JsonPatch.add("/data", {"checkout.v2": "true", "recommendations": "false"}))

    # The API may read and watch that one ConfigMap, nothing else.
    flags_reader = LeastPrivilegeRole(
        shop, "feature-flags-reader",
        name="feature-flags-reader",
        permissions=[RolePermission(api_groups=[""], resources=["configmaps"], verbs=["get", "watch"],
                                    resource_names=["feature-flags"])],
    )
    flags_reader.bind_workload(api)

    # On-call engineers may look at pods and their logs in the namespace.
    LeastPrivilegeRole(
        shop, "oncall-viewer",
        name="oncall-viewer",
        permissions=[
            RolePermission(api_groups=[""], resources=["pods", "pods/log"], verbs=["get", "list", "watch"]),
            RolePermission(api_groups=["apps"], resources=["deployments", "statefulsets"], verbs=["get", "list", "watch"]),
        ],
        subjects=[RoleSubject(kind=SubjectKind.GROUP, name="shop-oncall")],
    )

    # The kube-apiserver audit policy, in its own chart (a file for --audit-policy-file).
    audit = Chart(app, "audit-policy")
    Guard.of(audit)
    AuditPolicy(
        audit, "policy",
        name="kubeharden",
        rules=[AuditRule(
            level=AuditLevel.REQUEST_RESPONSE,
            resources=[AuditResources(group="apps", resources=["deployments", "statefulsets"])],
            namespaces=[NAMESPACE],
            verbs=["create", "update", "patch", "delete"],
        )],
    )

    return app


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python app.py OUTDIR")
    build_app(sys.argv[1]).synth()
