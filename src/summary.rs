//! `summary.json`: one JSON document per output folder with a section per solved part
//! (`placement`, `groups`, `replan`), each stating status, objective, bound and gap.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::Instance;

/// The summary of an output folder, built up section by section.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    sections: Map<String, Value>,
}

impl Summary {
    /// A summary naming the instance and the command that made it.
    pub fn new(inst: &Instance, command: &str) -> Summary {
        let mut s = Summary::default();
        s.sections.insert(
            "alisplan".into(),
            Value::String(env!("CARGO_PKG_VERSION").into()),
        );
        s.sections
            .insert("command".into(), Value::String(command.into()));
        s.sections.insert(
            "instance".into(),
            Value::String(inst.dir.display().to_string()),
        );
        s.sections
            .insert("name".into(), Value::String(inst.settings.name.clone()));
        s
    }

    /// Add (or replace) a section.
    pub fn set(&mut self, key: &str, section: &impl Serialize) {
        let v = serde_json::to_value(section).expect("summary sections serialise");
        self.sections.insert(key.into(), v);
    }

    /// Read a section back.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.sections.get(key)
    }

    /// Pretty JSON, ending in a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(&Value::Object(self.sections.clone()))
            .expect("summary serialises");
        bytes.push(b'\n');
        bytes
    }

    /// Parse a summary written earlier.
    pub fn from_bytes(bytes: &[u8]) -> Option<Summary> {
        match serde_json::from_slice(bytes).ok()? {
            Value::Object(sections) => Some(Summary { sections }),
            _ => None,
        }
    }
}
