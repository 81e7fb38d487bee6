//! Writing an output folder so that nothing is ever lost or left half-written.
//!
//! - Every file goes into a hidden temporary folder `.NAME.tmp-PID` next to the target,
//!   is synced to disk, and the folder is moved into place in one step only when
//!   everything is written. A crash or an error leaves no half-written plan.
//! - Every folder alisplan writes carries a manifest ([`MANIFEST`]) naming the command,
//!   the version and every file. `--force` replaces only such a folder, of the same kind
//!   (plan or instance), holding nothing but the files its manifest lists; never a file,
//!   the instance, the current folder or one of its ancestors.
//! - Replacing an existing folder swaps the two in one atomic exchange where the file
//!   system allows it; elsewhere the old folder is moved aside to `.NAME.old-PID` first,
//!   and a run that dies between the two moves is repaired by the next run, which puts the
//!   old folder back.
//! - Temporary folders of processes that no longer exist are removed by the next run; a
//!   caught signal removes the running process's own ([`abort_cleanup`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The manifest every folder alisplan writes carries.
pub const MANIFEST: &str = "manifest.json";

/// What a folder holds: `--force` replaces a folder only with one of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A plan folder (`plan`, `place`, `replan`, `groups`).
    Plan,
    /// An instance folder (`generate`).
    Instance,
    /// A comparison of two plans (`compare`).
    Comparison,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Instance => "instance",
            Kind::Comparison => "comparison",
        }
    }
}

/// The manifest of a folder alisplan wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The program that wrote the folder (always "alisplan").
    pub written_by: String,
    /// Its version.
    pub version: String,
    /// The command that wrote it.
    pub command: String,
    pub kind: Kind,
    /// Every file in the folder but the manifest, relative to it, sorted.
    pub files: Vec<String>,
}

impl Manifest {
    /// Read the manifest of folder `dir`; `None` if it has none or it is not one.
    pub fn read(dir: &Path) -> Option<Manifest> {
        let bytes = fs::read(dir.join(MANIFEST)).ok()?;
        let m: Manifest = serde_json::from_slice(&bytes).ok()?;
        (m.written_by == "alisplan").then_some(m)
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).expect("a manifest serialises");
        b.push(b'\n');
        b
    }
}

/// Temporary folders this process is writing, for [`abort_cleanup`].
static TEMP_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Held while a finished folder is moved into place, so an abort never interrupts a swap.
static SWAP: Mutex<()> = Mutex::new(());

/// Remove every temporary folder this process is writing (called when the user aborts
/// with a second Ctrl-C). Waits for a swap in progress to finish first, so the target is
/// always either the old or the new folder.
pub fn abort_cleanup() {
    let _swap = SWAP.lock().unwrap_or_else(|e| e.into_inner());
    let dirs = TEMP_DIRS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for d in dirs {
        // Files may still be appearing while the main thread writes: try a few times.
        for _ in 0..5 {
            if fs::remove_dir_all(&d).is_ok() || !d.exists() {
                break;
            }
        }
    }
}

fn register(dir: &Path) {
    TEMP_DIRS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(dir.to_path_buf());
}

fn unregister(dir: &Path) {
    TEMP_DIRS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|d| d != dir);
}

/// An output folder being written.
pub struct OutputDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    kind: Kind,
    command: String,
    files: Mutex<BTreeSet<String>>,
    committed: bool,
}

impl OutputDir {
    /// Start writing the plan folder `target` for `command`. Fails at once if `target`
    /// may not be written (see [`OutputDir::create_kind`]).
    pub fn create(target: &Path, force: bool, instance: Option<&Path>) -> Result<OutputDir> {
        OutputDir::create_kind(target, force, instance, Kind::Plan, "plan")
    }

    /// Start writing folder `target` of `kind` for `command`. Fails at once, touching
    /// nothing, if `target` exists and `force` is not given; if `target` is a file, the
    /// current folder or one of its ancestors, is or holds the instance folder
    /// `instance` or lies inside it; or, with `force`, if the existing folder was not
    /// written by alisplan as a folder of the same kind, or holds anything its manifest
    /// does not list. Repairs what an earlier run that died left behind first.
    pub fn create_kind(
        target: &Path,
        force: bool,
        instance: Option<&Path>,
        kind: Kind,
        command: &str,
    ) -> Result<OutputDir> {
        refuse_unsafe_target(target, instance)?;
        let (parent, name) = parent_and_name(target);
        fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
        recover(&parent, &name, target);
        if target.exists() {
            if !force {
                return Err(Error::OutputExists(target.to_path_buf()));
            }
            check_replaceable(target, kind)?;
        }
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io("clean up", &tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        register(&tmp);
        Ok(OutputDir {
            target: target.to_path_buf(),
            tmp,
            force,
            kind,
            command: command.to_string(),
            files: Mutex::new(BTreeSet::new()),
            committed: false,
        })
    }

    /// The folder the output will have when committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write `bytes` to `rel` (a path inside the folder, subfolders created as needed).
    /// Everything is synced to disk before the folder is published ([`OutputDir::commit`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io("write", self.target.join(rel), e))?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        Ok(())
    }

    /// Copy a file from a previous output into this one.
    pub fn copy_from(&self, from: &Path, rel: &str) -> Result<()> {
        let bytes = fs::read(from).map_err(|e| Error::io("read", from, e))?;
        self.write(rel, &bytes)
    }

    /// Write the manifest, sync the folder, and move it into place, replacing an old
    /// one only with `force`.
    pub fn commit(mut self) -> Result<PathBuf> {
        let files: Vec<String> = self
            .files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect();
        let manifest = Manifest {
            written_by: "alisplan".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: self.command.clone(),
            kind: self.kind,
            files,
        };
        let path = self.tmp.join(MANIFEST);
        fs::write(&path, manifest.to_bytes()).map_err(|e| Error::io("write", &path, e))?;
        sync_all_under(&self.tmp).map_err(|e| Error::io("sync", &self.tmp, e))?;
        let _swap = SWAP.lock().unwrap_or_else(|e| e.into_inner());
        if self.target.exists() {
            if !self.force {
                return Err(Error::OutputExists(self.target.clone()));
            }
            swap_into_place(&self.tmp, &self.target)?;
        } else {
            fs::rename(&self.tmp, &self.target)
                .map_err(|e| Error::io("move into place", &self.target, e))?;
        }
        let (parent, _) = parent_and_name(&self.target);
        let _ = sync_dir(&parent);
        self.committed = true;
        unregister(&self.tmp);
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
            unregister(&self.tmp);
        }
    }
}

/// Write a file and sync its contents to disk before anyone can see it published.
pub fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Sync a folder's entries (the names of the files in it) to disk.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Sync every file and folder under `dir` to disk, so that no published file can be
/// empty after a power cut. On Linux one `syncfs` of the file system does it in a single
/// flush (thousands of calendars would otherwise cost a journal commit each); elsewhere,
/// or if that fails, each file and folder is synced in turn.
fn sync_all_under(dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let d = fs::File::open(dir)?;
        // SAFETY: syncfs only reads the descriptor, which `d` keeps open.
        if unsafe { libc::syncfs(d.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    sync_each(dir)
}

fn sync_each(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            sync_each(&entry.path())?;
        } else {
            fs::File::open(entry.path())?.sync_all()?;
        }
    }
    sync_dir(dir)
}

/// The folder `target` lives in (`.` for a bare name) and its own name.
fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}

/// `path` made absolute with every part that exists resolved (links, `.`, `..`), the part
/// that does not exist yet appended as written.
fn resolve(path: &Path) -> Option<PathBuf> {
    let mut probe = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let mut tail = Vec::new();
    while !probe.exists() {
        let name = probe.file_name()?.to_owned();
        tail.push(name);
        probe = probe.parent()?.to_path_buf();
    }
    let mut full = probe.canonicalize().ok()?;
    for name in tail.iter().rev() {
        if name == ".." {
            full.pop();
        } else if name != "." {
            full.push(name);
        }
    }
    Some(full)
}

fn refused(target: &Path, why: String) -> Error {
    Error::UnsafeOutput {
        path: target.to_path_buf(),
        why,
    }
}

/// The folders an output may never be: a file, the current folder or one of its
/// ancestors, the instance folder, a folder holding it, or one inside it.
fn refuse_unsafe_target(target: &Path, instance: Option<&Path>) -> Result<()> {
    if target.as_os_str().is_empty() {
        return Err(refused(target, "an empty path names no folder".into()));
    }
    if target.exists() && !target.is_dir() {
        return Err(refused(
            target,
            "it is a file, not a folder; alisplan writes a plan as a folder and never replaces a file".into(),
        ));
    }
    let Some(full) = resolve(target) else {
        return Err(refused(target, "the path cannot be resolved".into()));
    };
    if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize())
        && cwd.starts_with(&full)
    {
        return Err(refused(
            target,
            "it is the current folder or one of its ancestors; write the plan to a new folder beside your files".into(),
        ));
    }
    if let Some(inst) = instance.and_then(|i| i.canonicalize().ok()) {
        if full.starts_with(&inst) {
            return Err(refused(
                target,
                format!(
                    "it is inside the instance folder {}; write plans elsewhere so the instance stays clean",
                    inst.display()
                ),
            ));
        }
        if inst.starts_with(&full) {
            return Err(refused(
                target,
                format!(
                    "it holds the instance folder {}; replacing it would delete the instance",
                    inst.display()
                ),
            ));
        }
    }
    Ok(())
}

/// `--force` replaces only a folder alisplan wrote as a folder of `kind`, holding nothing
/// but the files its manifest lists.
fn check_replaceable(target: &Path, kind: Kind) -> Result<()> {
    let Some(manifest) = Manifest::read(target) else {
        return Err(refused(
            target,
            format!(
                "it was not written by alisplan (it has no {MANIFEST}), so --force will not replace it; choose a new folder or remove it yourself"
            ),
        ));
    };
    if manifest.kind != kind {
        return Err(refused(
            target,
            format!(
                "it holds an {} written by `alisplan {}`, not a {}; --force replaces only a folder of the same kind",
                manifest.kind.label(),
                manifest.command,
                kind.label()
            ),
        ));
    }
    let listed: BTreeSet<&str> = manifest.files.iter().map(String::as_str).collect();
    let mut extra = Vec::new();
    files_under(target, Path::new(""), &mut extra).map_err(|e| Error::io("read", target, e))?;
    extra.retain(|f| f != MANIFEST && !listed.contains(f.as_str()));
    if let Some(first) = extra.first() {
        return Err(refused(
            target,
            format!(
                "it holds {} file(s) alisplan did not write (e.g. {first}); --force would delete them. Move them out first",
                extra.len()
            ),
        ));
    }
    Ok(())
}

/// Every file under `dir` (relative to the folder being checked, with `/`); a link
/// counts as a file of its own.
fn files_under(dir: &Path, rel: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir.join(rel))? {
        let entry = entry?;
        let path = rel.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            files_under(dir, &path, out)?;
        } else {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Whether process `pid` is running. Where that cannot be told (no `/proc`), every
/// process counts as running, so nothing of another run is ever removed.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Repair what runs that died left next to `target`: a folder moved aside by a swap that
/// never finished goes back into place (or, if the new one made it, is removed), and
/// temporary folders of processes that no longer exist are removed.
fn recover(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tmp_prefix = format!(".{name}.tmp-");
    let old_prefix = format!(".{name}.old-");
    let mut leftovers: Vec<(PathBuf, bool)> = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let (rest, aside) = if let Some(rest) = file.strip_prefix(&old_prefix) {
            (rest, true)
        } else if let Some(rest) = file.strip_prefix(&tmp_prefix) {
            (rest, false)
        } else {
            continue;
        };
        if let Ok(pid) = rest.parse::<u32>()
            && !process_alive(pid)
        {
            leftovers.push((e.path(), aside));
        }
    }
    leftovers.sort();
    for (path, aside) in leftovers {
        if aside && !target.exists() {
            // The old plan was moved aside and the new one never arrived: put it back.
            let _ = fs::rename(&path, target);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Put the finished folder `tmp` in place of the existing `target`: in one atomic
/// exchange where the file system supports it, else by moving `target` aside to
/// `.NAME.old-PID` first (a crash between the two moves is repaired by [`recover`]).
fn swap_into_place(tmp: &Path, target: &Path) -> Result<()> {
    if exchange(tmp, target).is_ok() {
        // `tmp` now holds the old folder.
        let _ = fs::remove_dir_all(tmp);
        return Ok(());
    }
    let (parent, name) = parent_and_name(target);
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    fs::rename(target, &old).map_err(|e| Error::io("move aside", target, e))?;
    if let Err(e) = fs::rename(tmp, target) {
        // Put the previous folder back: nothing is lost.
        let _ = fs::rename(&old, target);
        return Err(Error::io("move into place", target, e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Swap two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them as given.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Write `files` (name, bytes) as the folder `target` inside an existing plan folder
/// (e.g. `calendars/`), atomically: an existing folder is replaced only with `force`, and
/// only if it holds nothing but files whose names end in `ext` (what alisplan writes there).
pub fn write_subfolder(
    target: &Path,
    files: &[(String, &[u8])],
    force: bool,
    ext: &str,
) -> Result<()> {
    let (parent, name) = parent_and_name(target);
    recover(&parent, &name, target);
    if target.exists() {
        if !force {
            return Err(Error::OutputExists(target.to_path_buf()));
        }
        if !target.is_dir() {
            return Err(refused(target, "it is a file, not a folder".into()));
        }
        let mut found = Vec::new();
        files_under(target, Path::new(""), &mut found).map_err(|e| Error::io("read", target, e))?;
        if let Some(other) = found.iter().find(|f| f.contains('/') || !f.ends_with(ext)) {
            return Err(refused(
                target,
                format!("it holds {other}, which alisplan did not write; --force would delete it"),
            ));
        }
    }
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
    register(&tmp);
    let written = (|| {
        for (file, bytes) in files {
            fs::write(tmp.join(file), bytes)
                .map_err(|e| Error::io("write", target.join(file), e))?;
        }
        sync_all_under(&tmp).map_err(|e| Error::io("sync", &tmp, e))?;
        let _swap = SWAP.lock().unwrap_or_else(|e| e.into_inner());
        if target.exists() {
            swap_into_place(&tmp, target)
        } else {
            fs::rename(&tmp, target).map_err(|e| Error::io("move into place", target, e))
        }
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    unregister(&tmp);
    let _ = sync_dir(&parent);
    written
}

/// Write the file `target` atomically: under a temporary name, synced, then renamed.
pub fn write_file_atomically(target: &Path, bytes: &[u8]) -> Result<()> {
    let (parent, name) = parent_and_name(target);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let done = write_synced(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, target))
        .map_err(|e| Error::io("write", target, e));
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    let _ = sync_dir(&parent);
    done
}

/// Add `files` (relative paths just written into `dir`) to the manifest of the plan
/// folder `dir`, if it has one, replacing the manifest atomically.
pub fn add_to_manifest(dir: &Path, files: &[String]) -> Result<()> {
    let Some(mut m) = Manifest::read(dir) else {
        return Ok(());
    };
    m.files.extend(files.iter().cloned());
    m.files.sort();
    m.files.dedup();
    write_file_atomically(&dir.join(MANIFEST), &m.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut v = Vec::new();
        files_under(dir, Path::new(""), &mut v).unwrap();
        v.sort();
        v
    }

    #[test]
    fn writes_atomically_with_a_manifest_and_refuses_to_overwrite() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("plan");
        let out = OutputDir::create(&target, false, None).unwrap();
        out.write("a.csv", b"x\n").unwrap();
        out.write("hospitals/h.csv", b"y\n").unwrap();
        assert!(!target.exists(), "nothing is visible before commit");
        out.commit().unwrap();
        assert_eq!(fs::read(target.join("hospitals/h.csv")).unwrap(), b"y\n");
        let m = Manifest::read(&target).expect("a manifest");
        assert_eq!(m.files, ["a.csv", "hospitals/h.csv"]);
        assert_eq!((m.kind, m.command.as_str()), (Kind::Plan, "plan"));

        assert!(matches!(
            OutputDir::create(&target, false, None),
            Err(Error::OutputExists(_))
        ));
        let out = OutputDir::create(&target, true, None).unwrap();
        out.write("b.csv", b"z\n").unwrap();
        out.commit().unwrap();
        assert_eq!(files(&target), ["b.csv", MANIFEST]);
        assert_eq!(
            fs::read_dir(root.path()).unwrap().count(),
            1,
            "no temporary or aside folder is left"
        );
    }

    #[test]
    fn force_replaces_only_a_folder_alisplan_wrote_holding_only_its_files() {
        let root = tempfile::tempdir().unwrap();
        let mine = root.path().join("mine");
        fs::create_dir(&mine).unwrap();
        fs::write(mine.join("notes.txt"), "keep me").unwrap();
        let err = OutputDir::create(&mine, true, None).err().expect("refused");
        assert!(err.to_string().contains("not written by alisplan"), "{err}");

        let plan = root.path().join("plan");
        let out = OutputDir::create(&plan, false, None).unwrap();
        out.write("a.csv", b"x\n").unwrap();
        out.commit().unwrap();
        fs::write(plan.join("notes.txt"), "mine").unwrap();
        let err = OutputDir::create(&plan, true, None).err().expect("refused");
        assert!(err.to_string().contains("notes.txt"), "{err}");
        fs::remove_file(plan.join("notes.txt")).unwrap();

        let err = OutputDir::create_kind(&plan, true, None, Kind::Instance, "generate")
            .err()
            .expect("refused");
        assert!(err.to_string().contains("same kind"), "{err}");
        assert!(OutputDir::create(&plan, true, None).is_ok());
        assert_eq!(fs::read(mine.join("notes.txt")).unwrap(), b"keep me");
    }

    #[test]
    fn refuses_files_the_instance_and_its_ancestors() {
        let root = tempfile::tempdir().unwrap();
        let inst = root.path().join("wrap/inst");
        fs::create_dir_all(&inst).unwrap();
        let file = root.path().join("file.csv");
        fs::write(&file, "x").unwrap();
        for (target, why) in [
            (file.clone(), "is a file"),
            (inst.clone(), "inside the instance"),
            (inst.join("out"), "inside the instance"),
            (root.path().join("wrap"), "holds the instance"),
            (root.path().join("wrap/./inst/.."), "holds the instance"),
        ] {
            let err = OutputDir::create(&target, true, Some(&inst))
                .err()
                .unwrap_or_else(|| panic!("{} must be refused", target.display()));
            assert!(err.to_string().contains(why), "{}: {err}", target.display());
        }
        assert_eq!(fs::read(&file).unwrap(), b"x");
        assert!(inst.is_dir());
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

    /// A process id that is not running (the highest possible one, far above pid_max).
    const DEAD: u32 = 4_194_999;

    #[test]
    fn a_swap_that_died_halfway_is_repaired_and_stale_temporaries_removed() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("p");
        let out = OutputDir::create(&target, false, None).unwrap();
        out.write("a.csv", b"old\n").unwrap();
        out.commit().unwrap();
        // A run died after moving the old plan aside, before moving the new one in.
        let aside = root.path().join(format!(".p.old-{DEAD}"));
        fs::rename(&target, &aside).unwrap();
        let stale = root.path().join(format!(".p.tmp-{DEAD}"));
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("a.csv"), b"half").unwrap();
        let out = OutputDir::create(&target, true, None).unwrap();
        assert_eq!(
            fs::read(target.join("a.csv")).unwrap(),
            b"old\n",
            "the old plan is back"
        );
        assert!(!aside.exists() && !stale.exists());
        out.write("a.csv", b"new\n").unwrap();
        out.commit().unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"new\n");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_manifest_grows_with_files_added_later() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("plan");
        let out = OutputDir::create(&target, false, None).unwrap();
        out.write("a.csv", b"x\n").unwrap();
        out.commit().unwrap();
        fs::write(target.join("report.html"), "r").unwrap();
        add_to_manifest(&target, &["report.html".to_string()]).unwrap();
        assert_eq!(
            Manifest::read(&target).unwrap().files,
            ["a.csv", "report.html"]
        );
        assert!(OutputDir::create(&target, true, None).is_ok());
    }
}
