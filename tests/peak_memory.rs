//! Every command that writes `summary.json` records the command's peak memory in it.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

#[test]
fn summaries_record_peak_memory_where_the_kernel_reports_it() {
    let linux = Path::new("/proc/self/status").exists();
    for command in ["place", "groups", "plan"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        Command::cargo_bin("alisplan")
            .unwrap()
            .args([command, "instances/alis-vest", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        let s: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
        let mb = s.get("peak_memory_mb");
        if linux {
            // A solver process holds at least its own code and the instance: well over 1 MB,
            // and far below the 64 GB no bundled instance comes near.
            let mb = mb.and_then(serde_json::Value::as_f64);
            assert!(
                mb.is_some_and(|mb| mb > 1.0 && mb < 65_536.0),
                "{command}: peak_memory_mb {mb:?}"
            );
        } else {
            assert!(mb.is_none(), "{command}: no figure off Linux");
        }
    }
}
