//! Values read back from storage. Each enum kept as text is decoded once, where its row is
//! read; a value that is none of the enum's is an error that names it, never a default.

/// A stored value that is none of its type's values: a corrupt row, or one written by a newer
/// kassa.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored {what} `{value}` is not one this kassa knows")]
pub struct UnknownStored {
    pub what: &'static str,
    pub value: String,
}

/// An enum stored as its name: `as_str` writes it, `TryFrom<String>` reads it back.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident as $what:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<$name, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(concat!("unknown ", $what, " `{}`"), other)),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::stored::UnknownStored;

            fn try_from(value: String) -> Result<$name, Self::Error> {
                value.parse().map_err(|_| $crate::domain::stored::UnknownStored { what: $what, value })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_enum;

#[cfg(test)]
mod tests {
    use crate::domain::booking::TicketStatus;

    #[test]
    fn a_stored_value_reads_back_and_an_unknown_one_is_an_error_naming_it() {
        for status in TicketStatus::ALL {
            assert_eq!(
                TicketStatus::try_from(status.as_str().to_owned()),
                Ok(*status)
            );
        }
        let error = TicketStatus::try_from("lost".to_owned()).unwrap_err();
        assert_eq!(error.value, "lost");
        assert!(error.to_string().contains("ticket status"), "{error}");
    }
}
