//! Who may do what: the director runs the theater, staff work the door.

use super::stored::stored_enum;

stored_enum! {
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Role as "role" {
        Director = "director",
        Staff = "staff",
    }
}
