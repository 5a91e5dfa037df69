//! Stored enums read back: a text column decodes into its domain enum where the row is read,
//! and a value that is none of the enum's fails the query (see [`crate::domain::stored`]).

use diesel::QueryResult;

/// A nullable column holding a stored enum (see [`crate::domain::stored`]): read with
/// `#[diesel(deserialize_as = Decoded<T>)]` into an `Option<T>`, failing on a value that is none
/// of `T`'s.
pub struct Decoded<T>(Option<T>);

impl<T, DB> diesel::deserialize::Queryable<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB>
    for Decoded<T>
where
    DB: diesel::backend::Backend,
    Option<String>: diesel::deserialize::FromStaticSqlRow<
            diesel::sql_types::Nullable<diesel::sql_types::Text>,
            DB,
        >,
    T: TryFrom<String, Error = crate::domain::stored::UnknownStored>,
{
    type Row = Option<String>;

    fn build(text: Option<String>) -> diesel::deserialize::Result<Self> {
        Ok(Decoded(text.map(T::try_from).transpose()?))
    }
}

/// A stored enum read by hand (outside a `Queryable` row): an unknown value fails the query.
pub fn decode<T>(stored: String) -> QueryResult<T>
where
    T: TryFrom<String, Error = crate::domain::stored::UnknownStored>,
{
    T::try_from(stored).map_err(|e| diesel::result::Error::DeserializationError(e.into()))
}

impl<T> From<Decoded<T>> for Option<T> {
    fn from(decoded: Decoded<T>) -> Option<T> {
        decoded.0
    }
}
