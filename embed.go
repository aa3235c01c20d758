// Package dossier holds the default templates and static assets, embedded in
// the binary. A project's own templates/ and static/ files override them by
// name (see internal/render and internal/output).
package dossier

import "embed"

// Defaults holds templates/*.html and static/*.
//
//go:embed templates/*.html static/*
var Defaults embed.FS
