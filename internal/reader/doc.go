// Package reader holds the browser tests of what readers get from a built
// dossier: no accessibility faults (axe-core) on any page type in either
// theme at phone and desktop widths, popover previews by keyboard and mouse,
// margin notes beside their passages, print with footnotes, and screenshots
// of every page type for review. It has no code of its own: the pages come
// from the real build of the engine's fixture dossier (internal/testsite).
package reader
