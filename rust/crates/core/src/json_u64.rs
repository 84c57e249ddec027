//! 64-bit integers in the network file are written as decimal JSON strings: chain selectors go
//! up to 2^64 - 1, and JavaScript (and jq) read a JSON number above 2^53 as a different value.
//! Reading accepts a string or a number, so files written before this change still load.

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

/// Writes `value` as a decimal string.
pub(crate) fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Reads a decimal string or a JSON number.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u64),
        Text(String),
    }
    match Either::deserialize(deserializer)? {
        Either::Number(n) => Ok(n),
        Either::Text(s) => s.trim().parse().map_err(|e| {
            D::Error::custom(format!(
                "{s:?} is not a decimal 64-bit unsigned integer: {e}"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "super")]
        selector: u64,
    }

    #[test]
    fn written_as_strings_read_from_either() {
        let big = Holder {
            selector: 16_015_286_601_757_825_753,
        };
        let json = serde_json::to_string(&big).expect("serializes");
        assert_eq!(json, r#"{"selector":"16015286601757825753"}"#);
        assert_eq!(serde_json::from_str::<Holder>(&json).ok(), Some(big));
        assert_eq!(
            serde_json::from_str::<Holder>(r#"{"selector":7}"#).ok(),
            Some(Holder { selector: 7 })
        );
        let bad = serde_json::from_str::<Holder>(r#"{"selector":"-1"}"#)
            .expect_err("a negative selector is refused");
        assert!(bad.to_string().contains("\"-1\""), "{bad}");
        assert!(serde_json::from_str::<Holder>(r#"{"selector":"18446744073709551616"}"#).is_err());
    }
}
