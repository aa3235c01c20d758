package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// MarkerFile is written into every output folder. dossier replaces (deletes)
// only a folder holding it, a folder that is empty or missing, or, with
// -force, any folder that is not protected (see CheckTarget).
const MarkerFile = ".dossier-output"

// markerText explains the marker to whoever finds it.
const markerText = `This folder was made by "dossier build", which replaces it whole on every build.
Do not keep your own files here: the next build deletes them. dossier only ever
replaces a folder holding this file (or an empty one), so that a mistyped -out
can never delete anything else.
`

// TargetError explains why an output folder was refused. Nothing has been
// written when it is returned.
type TargetError struct {
	Dir    string
	Reason string // why, completing "refusing to replace DIR: "
	Hint   string // what to do
}

func (e *TargetError) Error() string {
	msg := fmt.Sprintf("refusing to replace %s: %s", e.Dir, e.Reason)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg + " (nothing was written)"
}

// CheckTarget tells whether a build of the project at root may replace the
// folder dir, which a successful build deletes and recreates. It refuses,
// whatever force says:
//   - the project folder itself, and any folder holding it (down to /);
//   - content/, templates/, static/ and .git/ of the project and anything
//     inside them;
//   - the home folder and any folder holding it, and the current folder and
//     any folder holding it;
//   - something that is not a folder, or a symbolic link.
//
// Otherwise a missing or empty folder, or one holding MarkerFile (made by an
// earlier build), is accepted; any other non-empty folder only with force.
// Paths are compared as the kernel resolves them (realPath), and folders as
// the file system sees them (os.SameFile), so symbolic links (in dir, in the
// project's path or in the current folder's), "..", and case-insensitive
// file systems cannot get round it.
func CheckTarget(root, dir string, force bool) error {
	_, err := checkTarget(root, dir, force)
	return err
}

// checkTarget is CheckTarget, which also returns the real path of dir: the
// folder a build writes (see realPath).
func checkTarget(root, dir string, force bool) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", &TargetError{Dir: `""`, Reason: "no output folder given", Hint: "pass -out DIR"}
	}
	abs, err := realPath(dir)
	if err != nil {
		return "", fmt.Errorf("cannot write %s: %w", dir, err)
	}
	absRoot, err := realPath(root)
	if err != nil {
		return "", fmt.Errorf("project folder %s: %w", root, err)
	}
	shown := dir
	if lexical, err := filepath.Abs(dir); err == nil && lexical != abs {
		// Through a symbolic link: say where it leads.
		shown = dir + " (that is " + abs + ")"
	}
	refuse := func(reason string) error {
		hint := "choose another -out, such as " + filepath.Join(root, "public")
		if suggested := filepath.Join(absRoot, "public"); suggested == abs || same(suggested, abs) {
			// The usual output, refused because of where the build runs.
			hint = "run the build from another folder, such as the project folder " + root + ", or choose another -out"
		}
		return &TargetError{Dir: shown, Reason: reason, Hint: hint}
	}
	if st, err := os.Lstat(strings.TrimRight(dir, string(filepath.Separator))); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return "", refuse("it is a symbolic link; pass the folder it points to as -out if that is what you mean")
	}
	if err := checkReal(absRoot, abs, shown, force, refuse); err != nil {
		return "", err
	}
	return abs, nil
}

// sourceFolders are the project's folders that hold its sources: nothing
// dossier writes goes in them.
var sourceFolders = []string{"content", "templates", "static", ".git"}

// InSources returns the folder of the project at root that holds its
// sources (see sourceFolders) and holds p, or "" when none does. Both are
// resolved as the kernel resolves them (a link into content/ is inside it).
func InSources(root, p string) string {
	absRoot, err := realPath(root)
	if err != nil {
		return ""
	}
	abs, err := realPath(p)
	if err != nil {
		return ""
	}
	for _, name := range sourceFolders {
		if within(filepath.Join(absRoot, name), abs) {
			return name
		}
	}
	return ""
}

// Within reports whether p is the folder dir or inside it, both resolved as
// the kernel resolves them (a link into dir is inside it).
func Within(dir, p string) bool {
	absDir, err := realPath(dir)
	if err != nil {
		return false
	}
	abs, err := realPath(p)
	if err != nil {
		return false
	}
	return within(absDir, abs)
}

// within is Within on real paths.
func within(dir, p string) bool {
	for a := p; ; a = filepath.Dir(a) {
		if a == dir || same(a, dir) {
			return true
		}
		if filepath.Dir(a) == a {
			return false
		}
	}
}

// checkReal is checkTarget's test of abs, the real path of the output
// folder (dir, as messages show it), for the project at the real path
// absRoot; refuse makes its TargetError.
func checkReal(absRoot, abs, dir string, force bool, refuse func(reason string) error) error {

	// dir inside a folder that holds sources (even one not made yet): walk
	// up from dir.
	for _, name := range sourceFolders {
		src := filepath.Join(absRoot, name)
		for a := abs; ; a = filepath.Dir(a) {
			if a == src || same(a, src) {
				if a == abs {
					return refuse("it is the project's " + name + "/ folder (your sources)")
				}
				return refuse("it is inside the project's " + name + "/ folder (your sources)")
			}
			if filepath.Dir(a) == a {
				break
			}
		}
	}
	// dir being, or inside, a folder the sources are linked to from the
	// project (content/ itself, or content/originals/, may be a symbolic
	// link to a folder elsewhere): walk up from dir.
	linked := linkedSources(absRoot)
	for _, l := range linked {
		for a := abs; ; a = filepath.Dir(a) {
			if a == l.target || same(a, l.target) {
				if a == abs {
					return refuse("it is " + l.what())
				}
				return refuse("it is inside " + l.what())
			}
			if filepath.Dir(a) == a {
				break
			}
		}
	}
	// dir being, or holding, the project, the home folder, the current
	// folder or a folder the sources are linked to: walk up from each of
	// them.
	type holder struct{ path, what string }
	holders := []holder{{absRoot, "the project folder"}}
	for _, l := range linked {
		holders = append(holders, holder{l.target, l.what()})
	}
	for _, home := range homeFolders() {
		holders = append(holders, holder{home, "your home folder"})
	}
	if wd, err := realPath("."); err == nil {
		holders = append(holders, holder{wd, "the current folder"})
	}
	if filepath.Dir(abs) == abs {
		return refuse("it is the root of the file system")
	}
	for _, h := range holders {
		if h.path == abs || same(h.path, abs) {
			return refuse("it is " + h.what)
		}
	}
	for _, h := range holders {
		for a := filepath.Dir(h.path); ; a = filepath.Dir(a) {
			if a == abs || same(a, abs) {
				if filepath.Dir(a) == a {
					return refuse("it is the root of the file system")
				}
				return refuse("it holds " + h.what + " (" + h.path + ")")
			}
			if filepath.Dir(a) == a {
				break
			}
		}
	}

	st, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dir, err)
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return refuse("it is a symbolic link; pass the folder it points to as -out if that is what you mean")
	case !st.IsDir():
		return refuse("it is a file, not a folder")
	case mountPoint(abs, st):
		return mountRefusal(dir, abs)
	}
	if at, inside := mounts(abs); at {
		return mountRefusal(dir, abs)
	} else if len(inside) > 0 {
		// Deleting the folder would delete the files of what is mounted
		// in it (never made by a build), whatever -force says.
		return &TargetError{Dir: dir,
			Reason: "it holds " + listNames(inside) + ", where another file system or a folder is mounted, whose files a build would delete with the output folder",
			Hint:   "unmount it, or choose another -out"}
	}
	for _, sys := range systemFolders {
		if real, err := realPath(sys); err == nil && (real == abs || same(real, abs)) {
			return refuse("it is one of the system's own folders")
		}
	}
	if hasMarker(abs) {
		if force {
			return nil
		}
		if extra := foreignEntries(abs); len(extra) > 0 {
			return &TargetError{Dir: dir,
				Reason: "it holds " + listNames(extra) + ", which dossier build did not write there, and each build replaces the folder whole",
				Hint:   "move them out of the folder (a site's own files go in static/, its domain in dossier.yaml's cname), or pass -force to delete them"}
		}
		return nil
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dir, err)
	}
	if len(entries) == 0 || force {
		return nil
	}
	why := fmt.Sprintf("it has no %s file", MarkerFile)
	if _, ok := markerHead(abs); ok {
		why = fmt.Sprintf("its %s is a file dossier build did not write: it does not start with dossier's text", MarkerFile)
	}
	return &TargetError{Dir: dir,
		Reason: "it is not empty and was not made by dossier build (" + why + ")",
		Hint:   "choose another -out, or empty or remove that folder yourself, or pass -force to delete everything in it and replace it"}
}

// homeFolders returns the real paths of the home folder: $HOME's and the
// account's (from the user database). $HOME alone is not enough: it is
// unset under cron, systemd or env -i, and names the caller's folder under
// sudo, and an unprotected home folder would be deleted by -force.
// systemFolders are the operating system's own folders (the Filesystem
// Hierarchy Standard's, and macOS's), which -force never empties: a typo
// such as -out /usr -force would delete the system's programs. Folders
// inside them may be outputs (/var/www/html, /srv/dossier, /tmp/site); on
// Windows none of these exists.
var systemFolders = []string{
	"/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt",
	"/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var",
	"/usr/bin", "/usr/include", "/usr/lib", "/usr/libexec", "/usr/local", "/usr/local/bin", "/usr/sbin", "/usr/share", "/usr/src",
	"/var/cache", "/var/lib", "/var/log", "/var/mail", "/var/spool", "/var/tmp", "/var/www",
	"/Applications", "/Library", "/System", "/Users", "/Volumes", "/private", "/private/etc", "/private/tmp", "/private/var",
}

func homeFolders() []string {
	var homes []string
	add := func(home string) {
		if home == "" {
			return
		}
		if real, err := realPath(home); err == nil && !slices.Contains(homes, real) {
			homes = append(homes, real)
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		add(home)
	}
	if u, err := user.Current(); err == nil {
		add(u.HomeDir)
	}
	return homes
}

// mountRefusal refuses the output folder dir, at the real path abs, for
// being a mount point: a build replaces the folder by renaming folders,
// which the kernel refuses for a mount point, so it would fail at the end.
func mountRefusal(dir, abs string) *TargetError {
	return &TargetError{Dir: dir,
		Reason: "it is a mount point (another file system, or a container's volume, is mounted there), and a build replaces the output folder whole, which cannot be done to a mount point",
		Hint:   "pass a folder inside it as -out, such as " + filepath.Join(abs, "site")}
}

// realPath returns the absolute path of p as the kernel resolves it: its
// part that exists with every symbolic link and ".." followed in turn
// (filepath.EvalSymlinks, from the current folder), then the rest, which
// does not exist yet, cleaned. filepath.Abs resolves ".." as text, and so
// names another folder than the kernel writes when a folder on the way is
// a link: "../site" from a project reached through a link is beside the
// link's target, not beside the link.
func realPath(p string) (string, error) {
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		p = wd + string(filepath.Separator) + p // not Join, which resolves ".." as text
	}
	var rest []string
	for {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			slices.Reverse(rest)
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		trimmed := strings.TrimRight(p, string(filepath.Separator))
		i := strings.LastIndexByte(trimmed, filepath.Separator)
		if i < 0 || trimmed == "" {
			return "", err
		}
		rest = append(rest, trimmed[i+1:])
		p = trimmed[:i+1]
	}
}

// same reports whether a and b name the same existing folder or file.
func same(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(sa, sb)
}

// markerListHead introduces, in the marker of a finished build, the names
// the build wrote at the top of the folder, one a line.
const markerListHead = "Written by the build (anything else here stops the next build, unless -force):\n"

// markerContent is the marker of a finished build that wrote names at the
// top of its folder.
func markerContent(names []string) []byte {
	var b strings.Builder
	b.WriteString(markerText)
	b.WriteString("\n")
	b.WriteString(markerListHead)
	for _, n := range names {
		b.WriteString(n)
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// foreignEntries lists the entries at the top of the output folder dir that
// its build did not write, by the names its marker lists: a gh-pages clone's
// .git, a CNAME or notes put there by hand, which replacing the folder would
// delete without a word. A marker without the list (an older dossier's, or a
// killed build's) lists nothing, and only a .git counts as foreign then.
func foreignEntries(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil {
		return nil
	}
	written := map[string]bool{MarkerFile: true}
	_, list, listed := strings.Cut(string(data), markerListHead)
	for _, n := range strings.Split(list, "\n") {
		written[n] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var extra []string
	for _, e := range entries {
		if n := e.Name(); (listed && !written[n]) || (!listed && n == ".git") {
			extra = append(extra, n)
		}
	}
	return extra
}

// listNames lists a few names for a message: "a, b and c", or the first
// ones and how many more.
func listNames(names []string) string {
	const shown = 5
	if len(names) > shown {
		return strings.Join(names[:shown], ", ") + " and " + strconv.Itoa(len(names)-shown) + " more"
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// hasMarker reports whether dir holds dossier's MarkerFile: a regular file
// that starts with markerText. A file of that name with other words (an
// empty one, a note) was not written by dossier, and does not make the
// folder dossier's to delete.
func hasMarker(dir string) bool {
	head, ok := markerHead(dir)
	return ok && head == markerText
}

// markerHead returns the start of dir's MarkerFile, as long as markerText
// at most, and whether it is there as a regular file that could be read.
func markerHead(dir string) (string, bool) {
	p := filepath.Join(dir, MarkerFile)
	st, err := os.Lstat(p)
	if err != nil || !st.Mode().IsRegular() {
		return "", false
	}
	f, err := os.Open(p)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, len(markerText))
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", false
	}
	return string(buf[:n]), true
}

// linkedSource is a symbolic link among the project's sources and the file
// or folder it resolves to.
type linkedSource struct{ link, target string }

func (l linkedSource) what() string {
	return l.target + ", which " + l.link + " links to (your sources)"
}

// maxLinkedSources bounds the links linkedSources follows: a project has a
// few, and a loop of links must not make the check endless.
const maxLinkedSources = 1000

// linkedSources lists the symbolic links in the project's source folders
// (content/, templates/, static/, and those folders themselves) with the
// real paths they resolve to, following links to folders into those
// folders in turn. A build reads through them, so deleting an output
// folder that is or holds such a target would delete sources the project
// only links to. Walking content/ reads its folders' entries only (no
// stat per file); links are rare.
func linkedSources(root string) []linkedSource {
	var out []linkedSource
	seen := map[string]bool{}
	var walk func(dir string)
	walk = func(dir string) {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.Type()&fs.ModeSymlink == 0 || len(out) >= maxLinkedSources {
				return nil
			}
			target, err := filepath.EvalSymlinks(p)
			if err != nil || seen[target] {
				return nil
			}
			seen[target] = true
			out = append(out, linkedSource{link: p, target: target})
			if st, err := os.Stat(target); err == nil && st.IsDir() {
				walk(target)
			}
			return nil
		})
	}
	for _, name := range []string{"content", "templates", "static"} {
		p := filepath.Join(root, name)
		st, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			// WalkDir does not follow a link at its root: record it and
			// walk its target.
			target, err := filepath.EvalSymlinks(p)
			if err != nil || seen[target] {
				continue
			}
			seen[target] = true
			out = append(out, linkedSource{link: p, target: target})
			p = target
		}
		walk(p)
	}
	return out
}
