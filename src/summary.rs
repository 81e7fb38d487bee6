//! `summary.json`: one JSON document per output folder with a section per solved part
//! (`placement`, `groups`, `replan`), each stating status, objective, bound and gap, and
//! the peak memory of the command that wrote it (`peak_memory_mb`, Linux only).

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

    /// Record the command's peak resident memory so far as a top-level `peak_memory_mb`;
    /// call it just before writing the summary. Where the kernel does not report it (no
    /// `/proc/self/status`, i.e. not Linux) the figure is left out.
    pub fn record_peak_memory(&mut self) {
        if let Some(mb) = peak_memory_mb() {
            self.sections
                .insert("peak_memory_mb".into(), Value::from(mb));
        }
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
        Summary::from_slice(bytes).ok()
    }

    /// Parse a summary written earlier, saying what is wrong with it if it is not one.
    pub fn from_slice(bytes: &[u8]) -> Result<Summary, String> {
        match serde_json::from_slice(bytes).map_err(|e| e.to_string())? {
            Value::Object(sections) => Ok(Summary { sections }),
            _ => Err(
                "is not a JSON object (expected sections such as \"placement\" and \"groups\")"
                    .to_string(),
            ),
        }
    }
}

/// Peak resident memory of this process in megabytes (MiB, 2^20 bytes), rounded to one
/// decimal, from the `VmHWM` line of `/proc/self/status`; `None` where that file does not
/// exist or has no such line.
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    vm_hwm_mb(&status)
}

/// The `VmHWM` ("high water mark" of the resident set) of a `/proc/<pid>/status` text, in
/// megabytes rounded to one decimal. The kernel writes it as `VmHWM:   12345 kB`.
pub fn vm_hwm_mb(status: &str) -> Option<f64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let mut words = line.split_whitespace();
    let kib: u64 = words.next()?.parse().ok()?;
    if words.next()? != "kB" {
        return None;
    }
    Some((kib as f64 / 1024.0 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_is_read_in_megabytes() {
        let status =
            "Name:\talisplan\nVmPeak:\t  400000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t    9000 kB\n";
        assert_eq!(vm_hwm_mb(status), Some(12.1));
        assert_eq!(vm_hwm_mb("VmHWM:   2048 kB"), Some(2.0));
    }

    #[test]
    fn vm_hwm_missing_or_malformed_gives_nothing() {
        assert_eq!(vm_hwm_mb("VmRSS:   2048 kB\n"), None);
        assert_eq!(vm_hwm_mb("VmHWM:   lots kB\n"), None);
        assert_eq!(vm_hwm_mb("VmHWM:   2048 MB\n"), None);
        assert_eq!(vm_hwm_mb("VmHWM:\n"), None);
        assert_eq!(vm_hwm_mb(""), None);
    }

    #[test]
    fn recorded_peak_memory_is_a_top_level_number_on_linux() {
        let mut s = Summary::default();
        s.record_peak_memory();
        let parsed = Summary::from_bytes(&s.to_bytes()).expect("parses back");
        if std::path::Path::new("/proc/self/status").exists() {
            let mb = parsed.get("peak_memory_mb").and_then(Value::as_f64);
            assert!(mb.is_some_and(|mb| mb > 0.0), "got {mb:?}");
        } else {
            assert!(parsed.get("peak_memory_mb").is_none());
        }
    }
}
