// Package version says which dossier this is, from what the Go toolchain
// embeds in every binary (runtime/debug.ReadBuildInfo): the module version
// (a tag such as v0.4.0 for `go install ...@v0.4.0`, "(devel)" for a build
// from a checkout) and, for a build from a git checkout, the commit, its
// date and whether the tree had uncommitted changes.
package version

import (
	"runtime/debug"
	"strings"
)

// String describes the running binary, e.g. "v0.4.0" or
// "(devel) commit 1a2b3c4d5e6f 2026-11-23T10:00:00Z, modified".
func String() string {
	info, ok := debug.ReadBuildInfo()
	return From(info, ok)
}

// From describes the build info; ok false means there is none.
func From(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "unknown (built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var b strings.Builder
	b.WriteString(v)
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		b.WriteString(" commit " + rev)
		if when != "" {
			b.WriteString(" " + when)
		}
		if modified {
			b.WriteString(", modified")
		}
	}
	if info.GoVersion != "" {
		b.WriteString(" (" + info.GoVersion + ")")
	}
	return b.String()
}
