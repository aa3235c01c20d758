package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
// Folders are compared as the file system sees them (os.SameFile), so
// symbolic links, "..", and case-insensitive file systems cannot get round it.
func CheckTarget(root, dir string, force bool) error {
	if strings.TrimSpace(dir) == "" {
		return &TargetError{Dir: `""`, Reason: "no output folder given", Hint: "pass -out DIR"}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dir, err)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("project folder %s: %w", root, err)
	}
	refuse := func(reason string) error {
		return &TargetError{Dir: dir, Reason: reason, Hint: "choose another -out, such as " + filepath.Join(root, "public")}
	}

	// dir inside a folder that holds sources (even one not made yet): walk
	// up from dir.
	for _, name := range []string{"content", "templates", "static", ".git"} {
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
	// dir being, or holding, the project, the home folder or the current
	// folder: walk up from each of them.
	type holder struct{ path, what string }
	holders := []holder{{absRoot, "the project folder"}}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		holders = append(holders, holder{filepath.Clean(home), "your home folder"})
	}
	if wd, err := os.Getwd(); err == nil {
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
	}
	if hasMarker(abs) {
		return nil
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dir, err)
	}
	if len(entries) == 0 || force {
		return nil
	}
	return &TargetError{Dir: dir,
		Reason: fmt.Sprintf("it is not empty and was not made by dossier build (it has no %s file)", MarkerFile),
		Hint:   "choose another -out, or empty or remove that folder yourself, or pass -force to delete everything in it and replace it"}
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

// hasMarker reports whether dir holds MarkerFile as a regular file.
func hasMarker(dir string) bool {
	st, err := os.Lstat(filepath.Join(dir, MarkerFile))
	return err == nil && st.Mode().IsRegular()
}
