//! Writing an output folder atomically: every file goes into a hidden temporary folder next
//! to the target, which is renamed into place only when everything is written. A crash or
//! an error leaves no half-written plan, and an existing folder is replaced only with
//! `--force`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output folder being written.
pub struct OutputDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    committed: bool,
}

impl OutputDir {
    /// Start writing the folder `target`. Fails at once if it exists and `force` is false,
    /// or if it would be inside the instance folder `instance`.
    pub fn create(target: &Path, force: bool, instance: Option<&Path>) -> Result<OutputDir> {
        if target.exists() && !force {
            return Err(Error::OutputExists(target.to_path_buf()));
        }
        if let Some(inst) = instance
            && is_inside(target, inst)
        {
            return Err(Error::Infeasible(format!(
                "the output folder {} is inside the instance folder {}; write plans elsewhere so the instance stays clean",
                target.display(),
                inst.display()
            )));
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io("clean up", &tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            tmp,
            force,
            committed: false,
        })
    }

    /// The folder the output will have when committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write `bytes` to `rel` (a path inside the folder, subfolders created as needed).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io("write", self.target.join(rel), e))
    }

    /// Copy a file from a previous output into this one.
    pub fn copy_from(&self, from: &Path, rel: &str) -> Result<()> {
        let bytes = fs::read(from).map_err(|e| Error::io("read", from, e))?;
        self.write(rel, &bytes)
    }

    /// Move the finished folder into place, replacing an old one only with `force`.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            if !self.force {
                return Err(Error::OutputExists(self.target.clone()));
            }
            let old = self.tmp.with_extension("old");
            fs::rename(&self.target, &old).map_err(|e| Error::io("move aside", &self.target, e))?;
            if let Err(e) = fs::rename(&self.tmp, &self.target) {
                // Put the previous folder back: nothing is lost.
                let _ = fs::rename(&old, &self.target);
                return Err(Error::io("move into place", &self.target, e));
            }
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.tmp, &self.target)
                .map_err(|e| Error::io("move into place", &self.target, e))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Whether `path` is `dir` or lies inside it (compared after resolving what exists).
fn is_inside(path: &Path, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else {
        return false;
    };
    let mut probe = path.to_path_buf();
    let mut tail = Vec::new();
    while !probe.exists() {
        match (probe.file_name(), probe.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_owned());
                probe = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return false,
        }
    }
    let Ok(mut full) = probe.canonicalize() else {
        return false;
    };
    for name in tail.iter().rev() {
        full.push(name);
    }
    full.starts_with(&dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_refuses_to_overwrite() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("plan");
        let out = OutputDir::create(&target, false, None).unwrap();
        out.write("a.csv", b"x\n").unwrap();
        out.write("hospitals/h.csv", b"y\n").unwrap();
        assert!(!target.exists(), "nothing is visible before commit");
        out.commit().unwrap();
        assert_eq!(fs::read(target.join("hospitals/h.csv")).unwrap(), b"y\n");

        assert!(matches!(
            OutputDir::create(&target, false, None),
            Err(Error::OutputExists(_))
        ));
        let out = OutputDir::create(&target, true, None).unwrap();
        out.write("b.csv", b"z\n").unwrap();
        out.commit().unwrap();
        assert!(target.join("b.csv").exists());
        assert!(
            !target.join("a.csv").exists(),
            "--force replaces the folder"
        );
    }

    #[test]
    fn an_abandoned_output_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("plan");
        {
            let out = OutputDir::create(&target, false, None).unwrap();
            out.write("a.csv", b"x\n").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_a_folder_inside_the_instance() {
        let root = tempfile::tempdir().unwrap();
        let inner = root.path().join("out");
        assert!(OutputDir::create(&inner, false, Some(root.path())).is_err());
    }
}
