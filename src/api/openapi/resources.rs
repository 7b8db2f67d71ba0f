//! The operations on flags, segments and their children, mounted twice (per namespace, and
//! for the default namespace under `/api/v1`), as the router mounts them.

use app::domain::*;
use schemars::SchemaGenerator;
use serde_json::json;

use super::operations::{empty, list, op, schema, Op, PAGE};

/// Flags, variants, rules, distributions, segments and constraints under `base` (a namespace's
/// path, or `/api/v1` for the default namespace), plus rollouts, changes and export when
/// `namespaced`, as the router mounts them.
pub(super) fn resources(g: &mut SchemaGenerator, base: &str, namespaced: bool) -> Vec<Op> {
    let flag = format!("{base}/flags/{{flagKey}}");
    let segment = format!("{base}/segments/{{segmentKey}}");
    let mut ops = vec![
        Op {
            query: PAGE,
            ..op("get", format!("{base}/flags"), "List flags", None, list::<Flag>(g, "flags"))
        },
        op(
            "post",
            format!("{base}/flags"),
            "Create a flag",
            Some(schema::<FlagInput>(g)),
            schema::<Flag>(g),
        ),
        op("get", flag.clone(), "Get a flag", None, schema::<Flag>(g)),
        op(
            "put",
            flag.clone(),
            "Update a flag (If-Match or version: only if unchanged)",
            Some(schema::<FlagInput>(g)),
            schema::<Flag>(g),
        ),
        op("delete", flag.clone(), "Delete a flag (snapshot first)", None, empty()),
        op(
            "post",
            format!("{flag}/variants"),
            "Create a variant",
            Some(schema::<VariantInput>(g)),
            schema::<Variant>(g),
        ),
        op(
            "put",
            format!("{flag}/variants/{{id}}"),
            "Update a variant",
            Some(schema::<VariantInput>(g)),
            schema::<Variant>(g),
        ),
        op("delete", format!("{flag}/variants/{{id}}"), "Delete a variant", None, empty()),
        Op {
            query: PAGE,
            ..op("get", format!("{flag}/rules"), "List rules", None, list::<Rule>(g, "rules"))
        },
        op(
            "post",
            format!("{flag}/rules"),
            "Create a rule",
            Some(schema::<RuleInput>(g)),
            schema::<Rule>(g),
        ),
        op(
            "put",
            format!("{flag}/rules/order"),
            "Order rules",
            Some(schema::<RuleOrder>(g)),
            empty(),
        ),
        op("get", format!("{flag}/rules/{{id}}"), "Get a rule", None, schema::<Rule>(g)),
        op(
            "put",
            format!("{flag}/rules/{{id}}"),
            "Update a rule",
            Some(schema::<RuleInput>(g)),
            schema::<Rule>(g),
        ),
        op("delete", format!("{flag}/rules/{{id}}"), "Delete a rule", None, empty()),
        op(
            "post",
            format!("{flag}/rules/{{ruleId}}/distributions"),
            "Create a distribution",
            Some(schema::<DistributionInput>(g)),
            schema::<Distribution>(g),
        ),
        op(
            "put",
            format!("{flag}/rules/{{ruleId}}/distributions/{{id}}"),
            "Update a distribution",
            Some(schema::<DistributionInput>(g)),
            schema::<Distribution>(g),
        ),
        op(
            "delete",
            format!("{flag}/rules/{{ruleId}}/distributions/{{id}}"),
            "Delete a distribution",
            None,
            empty(),
        ),
        Op {
            query: PAGE,
            ..op(
                "get",
                format!("{base}/segments"),
                "List segments",
                None,
                list::<Segment>(g, "segments"),
            )
        },
        op(
            "post",
            format!("{base}/segments"),
            "Create a segment",
            Some(schema::<SegmentInput>(g)),
            schema::<Segment>(g),
        ),
        op("get", segment.clone(), "Get a segment", None, schema::<Segment>(g)),
        op(
            "put",
            segment.clone(),
            "Update a segment (If-Match or version: only if unchanged)",
            Some(schema::<SegmentInput>(g)),
            schema::<Segment>(g),
        ),
        op("delete", segment.clone(), "Delete a segment (snapshot first)", None, empty()),
        op(
            "post",
            format!("{segment}/constraints"),
            "Create a constraint",
            Some(schema::<ConstraintInput>(g)),
            schema::<Constraint>(g),
        ),
        op(
            "put",
            format!("{segment}/constraints/{{id}}"),
            "Update a constraint",
            Some(schema::<ConstraintInput>(g)),
            schema::<Constraint>(g),
        ),
        op("delete", format!("{segment}/constraints/{{id}}"), "Delete a constraint", None, empty()),
    ];
    if namespaced {
        ops.extend([
            Op {
                query: &[
                    ("resourceType", "string"),
                    ("resourceKey", "string"),
                    ("limit", "integer"),
                    ("offset", "integer"),
                    ("pageToken", "string"),
                ],
                ..op(
                    "get",
                    format!("{base}/changes"),
                    "The namespace's change log, newest first",
                    None,
                    list::<Change>(g, "changes"),
                )
            },
            Op {
                query: &[("format", "string"), ("sortByKey", "boolean")],
                media: "application/yaml",
                ..op(
                    "get",
                    format!("{base}/export"),
                    "The namespace as a Flipt document (YAML; ?format=json for JSON)",
                    None,
                    json!({"type": "string"}),
                )
            },
            Op {
                query: PAGE,
                ..op(
                    "get",
                    format!("{flag}/rollouts"),
                    "List rollouts",
                    None,
                    list::<Rollout>(g, "rules"),
                )
            },
            op(
                "post",
                format!("{flag}/rollouts"),
                "Create a rollout",
                Some(schema::<RolloutInput>(g)),
                schema::<Rollout>(g),
            ),
            op(
                "put",
                format!("{flag}/rollouts/order"),
                "Order rollouts",
                Some(schema::<RolloutOrder>(g)),
                empty(),
            ),
            op(
                "get",
                format!("{flag}/rollouts/{{id}}"),
                "Get a rollout",
                None,
                schema::<Rollout>(g),
            ),
            op(
                "put",
                format!("{flag}/rollouts/{{id}}"),
                "Update a rollout",
                Some(schema::<RolloutInput>(g)),
                schema::<Rollout>(g),
            ),
            op("delete", format!("{flag}/rollouts/{{id}}"), "Delete a rollout", None, empty()),
        ]);
    }
    ops
}
