// Package scratch tells the files editors and tools leave beside a project's
// own (swap, backup, lock and temporary files) from the project's files: one
// rule, which the content loader, the static files, the templates and the
// preview's watcher all follow, so that what the watcher ignores is exactly
// what no build reads.
package scratch

import "strings"

// File reports whether a file name is an editor's or a tool's dropping
// rather than a project file: dot files (.#lock, .x.swp, .DS_Store), backups
// (x~), vim's write test (4913 and other all-digit names), swap and
// temporary files, JetBrains' safe-write files, Emacs autosaves (#x#), sed
// -i's sedXXXXXX, partial downloads.
func File(name string) bool {
	if name == "" || name[0] == '.' || name[0] == '~' || strings.HasSuffix(name, "~") {
		return true
	}
	if len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#' {
		return true
	}
	digits := true
	for _, c := range name {
		if c < '0' || c > '9' {
			digits = false
			break
		}
	}
	if digits {
		return true
	}
	if len(name) == 9 && strings.HasPrefix(name, "sed") && !strings.Contains(name, ".") {
		return true // sed -i's temporary file
	}
	lower := strings.ToLower(name)
	for _, suf := range []string{".swp", ".swx", ".swo", ".swpx", ".tmp", ".temp", ".kate-swp",
		"___jb_tmp___", "___jb_old___", ".crdownload", ".part"} {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// Skipped reports whether an entry of a project folder is left out of the
// project: a scratch file, or a hidden file or folder (.git, .drafts). A
// folder is left out only when hidden: 2013/, a year's images or originals,
// is not vim's probe file 4913.
func Skipped(name string, dir bool) bool {
	return strings.HasPrefix(name, ".") || !dir && File(name)
}
