//! The shared model: what the dashboard, the REST API and the service exchange (serde only,
//! no I/O). Output types follow Flipt's JSON (reference §2.4); `*Input` types are request
//! bodies, lenient as Flipt is: camelCase or snake_case, `null` for "not given", unknown
//! fields ignored, enums by name or number.

mod access;
mod change;
mod dashboard;
mod enums;
mod evaluation;
mod flag;
mod lenient;
mod namespace;
mod page;
mod rollout;
mod rule;
mod segment;
mod snapshot;

pub use access::{
    CreatedToken, Role, SessionSummary, TokenInput, TokenListing, TokenSummary, Viewer,
};
pub use change::Change;
pub use dashboard::{
    check_distribution, even_split, metadata_from_rows, metadata_rows, ConsoleResult, FlagDetail,
    FlagPatch, RuleDraft, SegmentChoice, SegmentListing, SegmentSummary,
};
pub use enums::{
    ComparisonType, EvaluationReason, FlagType, MatchType, RolloutType, SegmentOperator,
    NO_VALUE_OPERATORS,
};
pub use evaluation::{
    BatchEvaluationRequest, BatchEvaluationResponse, BooleanEvaluationResponse,
    ErrorEvaluationResponse, EvaluationRequest, EvaluationResponse, VariantEvaluationResponse,
};
pub use flag::{Flag, FlagInput, FlagListing, FlagQuery, Variant, VariantInput, FLAG_PAGE_SIZE};
pub use namespace::{Namespace, NamespaceInput};
pub use page::{Page, PageRequest};
pub use rollout::{Rollout, RolloutInput, RolloutOrder, RolloutSegment, RolloutThreshold};
pub use rule::{Distribution, DistributionInput, Rule, RuleInput, RuleOrder};
pub use segment::{Constraint, ConstraintInput, Segment, SegmentInput};
pub use snapshot::SnapshotInfo;
