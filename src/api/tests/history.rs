//! The change log: every kind of write records exactly one change, with the object as it was
//! before and as it is after; a write that fails records nothing.

use serde_json::{json, Value};

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(every_write_records_one_change_and_failures_none);

/// Checks a write: it succeeded, exactly one change appeared, and it says what happened.
struct Log<'a> {
    api: &'a Api,
    ns: &'a str,
    seen: i64,
}

impl Log<'_> {
    async fn total(&self) -> i64 {
        let reply = self.api.get(&format!("/api/v1/namespaces/{}/changes?limit=1", self.ns)).await;
        reply.body["totalCount"].as_i64().expect("a count")
    }

    /// The newest change, after asserting that it is the only new one.
    async fn one(&mut self, resource: &str, key: &str, action: &str) -> Value {
        let total = self.total().await;
        assert_eq!(total, self.seen + 1, "{action} {resource} {key}: exactly one change");
        self.seen = total;
        let newest =
            self.api.get(&format!("/api/v1/namespaces/{}/changes?limit=1", self.ns)).await.body;
        let change = newest["changes"][0].clone();
        assert_eq!(
            json!([change["resourceType"], change["resourceKey"], change["action"],]),
            json!([resource, key, action]),
        );
        // Who: the test's admin token, by name and id, with its role.
        let actor = change["actor"].as_str().unwrap_or_default();
        assert!(
            actor.starts_with("token \"test-admin\" ") && actor.ends_with(" (admin)"),
            "{actor}"
        );
        change
    }

    async fn none(&self, what: &str) {
        assert_eq!(self.total().await, self.seen, "{what} recorded a change");
    }
}

async fn every_write_records_one_change_and_failures_none(db: &TestDb) {
    let api = Api::new(db);
    let ns = "hist";
    let base = format!("/api/v1/namespaces/{ns}");
    let mut log = Log { api: &api, ns, seen: 0 };

    let created = api.create("/api/v1/namespaces", json!({"key": ns, "name": "History"})).await;
    let c = log.one("namespace", ns, "created").await;
    assert_eq!((c.get("before"), &c["after"]), (None, &created));
    let renamed = api.put(&base, json!({"name": "Renamed"})).await.body;
    let c = log.one("namespace", ns, "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&created, &renamed));

    let flag = api.create(&format!("{base}/flags"), json!({"key": "f", "name": "F"})).await;
    assert_eq!(log.one("flag", "f", "created").await["after"], flag);
    let variant = api
        .create(&format!("{base}/flags/f/variants"), json!({"key": "v", "attachment": "{\"a\":1}"}))
        .await;
    let vid = variant["id"].as_str().unwrap().to_string();
    assert_eq!(log.one("variant", &vid, "created").await["after"], variant);
    let before = api.get(&format!("{base}/flags/f")).await.body;
    let after = api
        .put(
            &format!("{base}/flags/f"),
            json!({"name": "F2", "enabled": true, "defaultVariantId": vid}),
        )
        .await
        .body;
    let c = log.one("flag", "f", "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&before, &after));
    let variant2 =
        api.put(&format!("{base}/flags/f/variants/{vid}"), json!({"key": "v2"})).await.body;
    let c = log.one("variant", &vid, "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&variant, &variant2));

    let segment = api.create(&format!("{base}/segments"), json!({"key": "s", "name": "S"})).await;
    assert_eq!(log.one("segment", "s", "created").await["after"], segment);
    let constraint = api.create(&format!("{base}/segments/s/constraints"),
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "x"})).await;
    let cid = constraint["id"].as_str().unwrap().to_string();
    assert_eq!(log.one("constraint", &cid, "created").await["after"], constraint);
    let constraint2 = api.put(&format!("{base}/segments/s/constraints/{cid}"),
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "neq", "value": "y"})).await.body;
    let c = log.one("constraint", &cid, "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&constraint, &constraint2));
    let before = api.get(&format!("{base}/segments/s")).await.body;
    let after = api
        .put(&format!("{base}/segments/s"), json!({"name": "S2", "matchType": "ANY_MATCH_TYPE"}))
        .await
        .body;
    let c = log.one("segment", "s", "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&before, &after));

    let rules = format!("{base}/flags/f/rules");
    let r1 = api.create(&rules, json!({"segmentKey": "s", "rank": 1})).await;
    let r1id = r1["id"].as_str().unwrap().to_string();
    assert_eq!(log.one("rule", &r1id, "created").await["after"], r1);
    let r2 = api.create(&rules, json!({"segmentKey": "s", "rank": 2})).await;
    let r2id = r2["id"].as_str().unwrap().to_string();
    log.one("rule", &r2id, "created").await;
    let r1b = api.put(&format!("{rules}/{r1id}"), json!({"segmentKeys": ["s"]})).await.body;
    let c = log.one("rule", &r1id, "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&r1, &r1b));
    api.put(&format!("{rules}/order"), json!({"ruleIds": [r2id, r1id]})).await;
    let c = log.one("rule_order", "f", "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&json!([r1id, r2id]), &json!([r2id, r1id])));
    let d = api
        .create(&format!("{rules}/{r1id}/distributions"), json!({"variantId": vid, "rollout": 30}))
        .await;
    let did = d["id"].as_str().unwrap().to_string();
    assert_eq!(log.one("distribution", &did, "created").await["after"], d);
    let d2 = api
        .put(
            &format!("{rules}/{r1id}/distributions/{did}"),
            json!({"variantId": vid, "rollout": 70}),
        )
        .await
        .body;
    let c = log.one("distribution", &did, "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&d, &d2));
    api.delete(&format!("{rules}/{r1id}/distributions/{did}?variantId={vid}")).await;
    assert_eq!(log.one("distribution", &did, "deleted").await["before"], d2);
    let r2now = api.get(&format!("{rules}/{r2id}")).await.body;
    api.delete(&format!("{rules}/{r2id}")).await;
    let c = log.one("rule", &r2id, "deleted").await;
    assert_eq!((&c["before"], c.get("after")), (&r2now, None));

    api.create(
        &format!("{base}/flags"),
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    log.one("flag", "b", "created").await;
    let rollouts = format!("{base}/flags/b/rollouts");
    let o1 = api.create(&rollouts, json!({"rank": 1, "threshold": {"percentage": 10}})).await;
    let o1id = o1["id"].as_str().unwrap().to_string();
    assert_eq!(log.one("rollout", &o1id, "created").await["after"], o1);
    let o2 = api.create(&rollouts, json!({"rank": 2, "segment": {"segmentKey": "s"}})).await;
    let o2id = o2["id"].as_str().unwrap().to_string();
    log.one("rollout", &o2id, "created").await;
    let o1b = api
        .put(&format!("{rollouts}/{o1id}"), json!({"threshold": {"percentage": 20, "value": true}}))
        .await
        .body;
    let c = log.one("rollout", &o1id, "updated").await;
    assert_eq!((&c["before"], &c["after"]), (&o1, &o1b));
    api.put(&format!("{rollouts}/order"), json!({"rolloutIds": [o2id, o1id]})).await;
    log.one("rollout_order", "b", "updated").await;
    api.delete(&format!("{rollouts}/{o1id}")).await;
    log.one("rollout", &o1id, "deleted").await;

    // Failures record nothing.
    api.post(&format!("{base}/flags"), json!({"key": "f", "name": "dup"})).await;
    api.put(&format!("{base}/flags/f"), json!({"name": "late", "version": 1})).await;
    api.delete(&format!("{base}/segments/s")).await;
    api.post(&format!("{rules}/nope/distributions"), json!({"variantId": vid, "rollout": 1})).await;
    api.put(&base, json!({"name": "late", "version": 1})).await;
    log.none("failed writes").await;
    // Deletes of nothing (idempotent successes) change nothing and record nothing.
    api.delete(&format!("{base}/flags/zzz")).await;
    api.delete(&format!("{base}/flags/f/variants/zzz")).await;
    log.none("deleting what does not exist").await;

    let flag_now = api.get(&format!("{base}/flags/f")).await.body;
    api.delete(&format!("{base}/flags/f")).await;
    assert_eq!(log.one("flag", "f", "deleted").await["before"], flag_now);
    let constraint_now =
        api.get(&format!("{base}/segments/s")).await.body["constraints"][0].clone();
    api.delete(&format!("{base}/segments/s/constraints/{cid}")).await;
    assert_eq!(log.one("constraint", &cid, "deleted").await["before"], constraint_now);

    let filtered = api.get(&format!("{base}/changes?resourceType=flag&resourceKey=f")).await.body;
    let actions: Vec<&str> = filtered["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["deleted", "updated", "created"], "newest first, filtered by resource");

    let namespace_now = api.get(&base).await.body;
    api.delete(&format!("{base}?force=true")).await;
    let c = log.one("namespace", ns, "deleted").await;
    assert_eq!(c["before"], namespace_now, "the history outlives the namespace");
}
