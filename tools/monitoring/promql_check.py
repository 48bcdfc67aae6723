#!/usr/bin/env python3
"""Evaluates every dashboard query, variable query and rule against a Prometheus that scrapes fundwatch's demo.

Called by check.sh once Prometheus and the demo are up. Retries until every query that must have data has some
(or the deadline passes), then prints one line per problem and the summary line. Exit 1 on any invalid
expression, any empty result that is not listed in MAY_BE_EMPTY, a rule that failed to evaluate, a metric a rule
reads that the demo does not expose, or the CRITICAL fund-flow rule not firing.
"""
import argparse
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# (dashboard uid, panel title) → why its queries may return nothing while the demo runs.
MAY_BE_EMPTY = {
    ("fundwatch-overview", "Dead letters by topic and reason"):
        "the demo's simulated market publishes only valid records, so nothing is dead-lettered and "
        "fundwatch_dead_letters_total has no series yet",
    ("fundwatch-overview", "Late events per detector"):
        "late events depend on the simulator's arrival order; a short demo may have none",
}

# Metrics a rule reads that the demo legitimately does not expose (checked: everything else must exist).
ABSENT_IN_DEMO = {
    "fundwatch_dead_letters_total": MAY_BE_EMPTY[("fundwatch-overview", "Dead letters by topic and reason")],
}

# Rules that must fire during the demo, and rules that must not.
MUST_FIRE = {"FundFlowCriticalAlert"}
MUST_NOT_FIRE = {"FundwatchDown", "FundwatchTargetMissing", "FundwatchStreamsNotRunning", "FundwatchNoInput",
                 "FundwatchClearingPartitionSilent"}

INTERVAL = "30s"  # $__rate_interval / $__interval: 15 scrapes at check.sh's 2 s scrape interval
RANGE = "5m"      # $__range


class Prometheus:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def get(self, path, **params):
        query = urllib.parse.urlencode(params, doseq=True)
        try:
            with urllib.request.urlopen(f"{self.url}{path}?{query}", timeout=10) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:  # 400/422 carry a JSON error body
            return json.load(e)

    def query(self, expr):
        return self.get("/api/v1/query", query=expr)


def has_data(response):
    """True when the result holds at least one sample that is a number (NaN does not count)."""
    data = response["data"]
    if data["resultType"] == "scalar":
        return not math.isnan(float(data["result"][1]))
    if data["resultType"] == "vector":
        return any(not math.isnan(float(s["value"][1])) for s in data["result"])
    if data["resultType"] == "matrix":
        return any(not math.isnan(float(v[1])) for s in data["result"] for v in s["values"])
    return bool(data["result"])


def sample(response):
    """The first series of a result and how many there are, for --verbose."""
    data = response["data"]
    result = data["result"]
    if data["resultType"] == "scalar":
        return result[1]
    first = result[0]
    value = first["value"][1] if "value" in first else first["values"][-1][1]
    return f"{len(result)} series, e.g. {first['metric']} = {value}"


def substitute(expr, variables):
    for name, value in variables.items():
        expr = expr.replace("${%s}" % name, value)
        expr = re.sub(r"\$%s\b" % re.escape(name), lambda _: value, expr)
    return expr


def panels(dashboard):
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def dashboard_queries(dashboards_dir):
    """(uid, title, refId, expr) for every panel target and every query variable of every dashboard."""
    queries = []
    for path in sorted(Path(dashboards_dir).glob("*.json")):
        dashboard = json.loads(path.read_text())
        uid = dashboard["uid"]
        for variable in dashboard.get("templating", {}).get("list", []):
            if variable.get("type") == "query":
                m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", variable["query"].strip())
                if not m:
                    sys.exit(f"{uid}: variable {variable['name']}: only label_values(selector, label) is understood")
                queries.append((uid, f"variable ${variable['name']}", "", f"count by ({m[2]}) ({m[1]})"))
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                queries.append((uid, panel["title"], target["refId"], target["expr"]))
    return queries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--dashboards", required=True)
    ap.add_argument("--job", default="fundwatch")
    ap.add_argument("--deadline", type=float, required=True, help="seconds to keep retrying empty results")
    ap.add_argument("--verbose", action="store_true", help="print the first series of every result")
    args = ap.parse_args()
    prom = Prometheus(args.prometheus)
    deadline = time.monotonic() + args.deadline

    # The demo must have been scraped, have raised alerts and exported a platform risk score first.
    def instance_and_platform():
        up = prom.query(f'up{{job="{args.job}"}} == 1')["data"]["result"]
        if not up:
            return None
        instance = up[0]["metric"]["instance"]
        scraped = prom.query(f'count_over_time(up{{instance="{instance}"}}[1m])')["data"]["result"]
        alerts = prom.query(f'sum(fundwatch_alerts_emitted_total{{instance="{instance}"}})')["data"]["result"]
        riskiest = prom.query(f'topk(1, fundwatch_platform_risk_score{{instance="{instance}"}})')["data"]["result"]
        if not (scraped and float(scraped[0]["value"][1]) >= 5 and alerts and riskiest):
            return None
        return instance, riskiest[0]["metric"]["platform"]

    found = None
    while found is None and time.monotonic() < deadline:
        found = instance_and_platform()
        if found is None:
            time.sleep(2)
    if found is None:
        print("monitoring: the demo was not scraped with alerts and a platform risk score before the deadline")
        return 1
    instance, platform = found
    variables = {"instance": instance, "platform": platform, "__rate_interval": INTERVAL,
                 "__interval": INTERVAL, "__range": RANGE, "datasource": "prometheus"}
    print(f"monitoring: instance={instance} platform={platform}")

    queries = dashboard_queries(args.dashboards)
    rules = []
    while True:
        groups = prom.get("/api/v1/rules")["data"]["groups"]
        rules = [(g["name"], r) for g in groups for r in g["rules"]]
        # Every rule evaluated at least once and the alert that must fire is firing (or out of time).
        evaluated = bool(rules) and all(not r.get("lastEvaluation", "0001").startswith("0001") for _, r in rules)
        firing = {r["name"] for _, r in rules if r["type"] == "alerting" and r["state"] == "firing"}
        results = [(q, prom.query(substitute(q[3], variables))) for q in queries]
        missing = [q for q, r in results
                   if r["status"] == "success" and not has_data(r) and (q[0], q[1]) not in MAY_BE_EMPTY]
        if (not missing and evaluated and MUST_FIRE <= firing) or time.monotonic() >= deadline:
            break
        time.sleep(3)

    problems = []
    checked = with_data = invalid = 0
    for (uid, title, ref, expr), r in results:
        checked += 1
        where = f"{uid} / {title}" + (f" / {ref}" if ref else "")
        if r["status"] != "success":
            invalid += 1
            problems.append(f"INVALID  {where}: {r.get('error')}\n         {expr}")
        elif has_data(r):
            with_data += 1
            if args.verbose:
                print(f"data     {where}: {sample(r)}")
        elif (uid, title) in MAY_BE_EMPTY:
            print(f"empty (allowed) {where}: {MAY_BE_EMPTY[(uid, title)]}")
        else:
            problems.append(f"EMPTY    {where}\n         {substitute(expr, variables)}")

    for group, rule in rules:
        checked += 1
        where = f"rule {group} / {rule['name']}"
        r = prom.query(rule["query"])
        if r["status"] != "success":
            invalid += 1
            problems.append(f"INVALID  {where}: {r.get('error')}")
            continue
        if has_data(r):
            with_data += 1
        if rule.get("health") != "ok":
            problems.append(f"RULE     {where}: health {rule.get('health')}: {rule.get('lastError')}")
        # A rule that does not fire returns nothing, which proves little: every metric it reads must exist.
        for metric in sorted(set(re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{", rule["query"]))):
            if metric in ABSENT_IN_DEMO:
                continue
            if not has_data(prom.query(f"count({metric})")):
                problems.append(f"METRIC   {where}: reads {metric}, which has no series")
        if rule["type"] == "alerting":
            if rule["name"] in MUST_FIRE and rule["state"] != "firing":
                problems.append(f"RULE     {where}: should fire during the demo (CRITICAL alerts are raised) "
                                f"but is {rule['state']}")
            # Pending is fine: right after start-up Kafka Streams is still REBALANCING, the counters not there yet.
            if rule["name"] in MUST_NOT_FIRE and rule["state"] == "firing":
                problems.append(f"RULE     {where}: fires while the demo is healthy")
            print(f"rule {rule['name']}: {rule['state']}")
    for name in MUST_FIRE - {r["name"] for _, r in rules}:
        problems.append(f"RULE     {name} is not among the loaded rules")

    for p in problems:
        print(p)
    print(f"monitoring: {checked} expressions checked, {with_data} with data, {invalid} invalid"
          + (f", {len(problems)} problem(s)" if problems else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
