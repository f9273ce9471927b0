"""Checks of the kubeharden Python package, run by test/python/run.sh in its virtual environment.

    python checks.py readme README.md app.py        the README's "From Python" blocks appear verbatim in app.py
    python checks.py report REPORT.json EXPECTED     a `kubeharden check --format json` report: no finding, EXPECTED objects
    python checks.py engine-paths OUTDIR EXPECTED    Engine.check_paths from Python on the synthesized app: no finding
    python checks.py engine                          Engine.check_objects from Python on a privileged pod finds pss-privileged
    python checks.py guard OUTDIR                    the Guard fails app.synth() on a privileged raw ApiObject, naming the rule

Each prints one line saying what it saw and exits 1 when an expectation fails.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def readme_blocks(readme_text: str) -> list:
    """The ```python blocks of the README's "From Python" subsection."""
    start = readme_text.find("\n### From Python\n")
    if start < 0:
        fail('README.md has no "### From Python" subsection')
    rest = readme_text[start + 1:]
    end = re.search(r"^#{1,3} (?!From Python)", rest, re.MULTILINE)
    section = rest[: end.start()] if end else rest
    return re.findall(r"^```python\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


def check_readme(readme_path: str, app_path: str) -> None:
    with open(readme_path, encoding="utf-8") as f:
        blocks = readme_blocks(f.read())
    with open(app_path, encoding="utf-8") as f:
        app = f.read()
    if not blocks:
        fail('the "From Python" subsection of README.md has no ```python block')
    for i, block in enumerate(blocks, 1):
        if block not in app:
            # say where the block stops matching, without repeating it
            lines = block.splitlines(keepends=True)
            n = 0
            while n < len(lines) and "".join(lines[: n + 1]) in app:
                n += 1
            fail(f"README.md python block {i} is not in test/python/app.py verbatim (first {n} of {len(lines)} lines match)")
    print(f"ok: {len(blocks)} README python block(s), {sum(len(b.splitlines()) for b in blocks)} lines, appear verbatim in app.py")


def check_report(report_path: str, expected_objects: int) -> None:
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    if report.get("profile") != "hardened":
        fail(f"report profile is {report.get('profile')!r}, expected 'hardened'")
    # the report lists suppressed findings too (suppressed: true, with the reason from the manifest)
    open_findings = [x for x in report["findings"] if not x["suppressed"]]
    if open_findings or report["summary"]["findings"] != 0:
        ids = sorted({x["ruleId"] for x in open_findings})
        fail(f"{len(open_findings)} finding(s) on the synthesized app: {', '.join(ids)}")
    suppressed = [x for x in report["findings"] if x["suppressed"]]
    if any(not x.get("suppressionReason") for x in suppressed) or len(suppressed) != report["summary"]["suppressed"]:
        fail("a suppressed finding has no reason, or the summary miscounts them")
    if report["errors"]:
        fail(f"{len(report['errors'])} input error(s) on the synthesized app")
    objects = report["summary"]["objects"]
    if expected_objects <= 0 or objects != expected_objects:
        fail(f"the report counts {objects} objects, expected {expected_objects} (> 0)")
    acknowledged = ", ".join(sorted({x["ruleId"] for x in suppressed})) or "none"
    print(f"ok: {objects} objects, 0 findings, 0 errors at profile hardened ({len(suppressed)} suppressed with a reason: {acknowledged})")


def check_engine_paths(outdir: str, expected_objects: int) -> None:
    from kubeharden import Engine, Profile, Reports, Severity
    report = Engine(profile=Profile.HARDENED).check_paths([outdir])
    open_findings = [x for x in report.findings if not x.suppressed]
    if open_findings or Reports.has_findings_at_or_above(report, Severity.LOW):
        fail(f"Engine.check_paths found {len(open_findings)} finding(s): {sorted({x.rule_id for x in open_findings})}")
    if report.errors:
        fail(f"Engine.check_paths reported {len(report.errors)} input error(s)")
    if report.summary.objects != expected_objects or report.summary.files != 2:
        fail(f"Engine.check_paths read {report.summary.files} files, {report.summary.objects} objects; "
             f"expected 2 files, {expected_objects} objects")
    print(f"ok: Engine.check_paths from Python: {report.summary.files} files, {report.summary.objects} objects, 0 findings")


def privileged_pod() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "agent", "namespace": "tools"},
        "spec": {"containers": [{"name": "agent", "image": "registry.example.com/agent:1.0", "securityContext": {"privileged": True}}]},
    }


def check_engine() -> None:
    from kubeharden import Engine, Profile, Reports, Severity
    hardened = Engine(profile=Profile.HARDENED)
    if hardened.profile != Profile.HARDENED:
        fail(f"Engine(profile=Profile.HARDENED).profile is {hardened.profile}")
    report = hardened.check_objects([privileged_pod()])
    found = [x for x in report.findings if x.rule_id == "pss-privileged"]
    if len(found) != 1:
        fail(f"expected one pss-privileged finding, got rules {sorted({x.rule_id for x in report.findings})}")
    f = found[0]
    if f.severity != Severity.CRITICAL or f.path != "spec.containers[0].securityContext.privileged":
        fail(f"pss-privileged finding has severity {f.severity}, path {f.path}")
    if (f.object.kind, f.object.name, f.object.namespace) != ("Pod", "agent", "tools"):
        fail(f"pss-privileged finding points at {f.object.kind} {f.object.namespace}/{f.object.name}")
    if report.summary.objects != 1 or report.summary.findings != len(report.findings):
        fail(f"summary says {report.summary.objects} objects, {report.summary.findings} findings; {len(report.findings)} listed")
    # the profile crosses the jsii boundary: baseline flags privileged but has no restricted rule
    baseline = Engine(profile=Profile.BASELINE).check_objects([privileged_pod()])
    baseline_ids = {x.rule_id for x in baseline.findings}
    if "pss-privileged" not in baseline_ids or "pss-run-as-non-root" in baseline_ids:
        fail(f"baseline findings are {sorted(baseline_ids)}: expected pss-privileged and no pss-run-as-non-root")
    # a report goes back into the library: Reports.findings_at_or_above(report, CRITICAL)
    critical = Reports.findings_at_or_above(report, Severity.CRITICAL)
    if [x.rule_id for x in critical] != ["pss-privileged"]:
        fail(f"Reports.findings_at_or_above(report, CRITICAL) gives {[x.rule_id for x in critical]}")
    print(f"ok: Engine.check_objects from Python: pss-privileged (critical) at {f.path}; "
          f"{len(report.findings)} findings at hardened, {len(baseline.findings)} at baseline")


def check_guard(outdir: str) -> None:
    from cdk8s import ApiObject, ApiObjectMetadata, JsonPatch
    from app import SEALED_DB_CREDENTIALS, build_app

    app = build_app(outdir)
    shop = app.node.find_child("shop")
    agent = ApiObject(shop, "agent", api_version="v1", kind="Pod", metadata=ApiObjectMetadata(name="agent"))
    agent.add_json_patch(JsonPatch.add("/spec", privileged_pod()["spec"]))
    try:
        app.synth()
    except Exception as e:  # jsii raises the library's error as a RuntimeError
        message = str(e)
        if "pss-privileged" not in message or "(construct shop/agent)" not in message:
            fail(f"app.synth() failed without naming pss-privileged at construct shop/agent ({type(e).__name__})")
        if any(v in message for v in SEALED_DB_CREDENTIALS.values()):
            fail("the synth error repeats the sealed credentials")
        written = [n for n in os.listdir(outdir) if n.endswith(".yaml")] if os.path.isdir(outdir) else []
        if written:
            fail(f"app.synth() failed but wrote {', '.join(sorted(written))}")
        first = next(line.strip() for line in message.splitlines() if "pss-privileged" in line)
        print(f"ok: Guard failed app.synth() ({type(e).__name__}), nothing written: {first[:120]}")
        return
    fail("app.synth() succeeded with a privileged pod in a chart guarded at hardened")


def main(argv: list) -> None:
    commands = {
        "readme": (check_readme, [str, str]),
        "report": (check_report, [str, int]),
        "engine-paths": (check_engine_paths, [str, int]),
        "engine": (check_engine, []),
        "guard": (check_guard, [str]),
    }
    if not argv or argv[0] not in commands or len(argv) - 1 != len(commands[argv[0]][1]):
        sys.exit(__doc__)
    fn, types = commands[argv[0]]
    fn(*[t(a) for t, a in zip(types, argv[1:])])


if __name__ == "__main__":
    main(sys.argv[1:])
