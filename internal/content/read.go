package content

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/readfile"
)

// DefaultMaxFileSize is the largest content file read unless dossier.yaml's
// maxFileSize says otherwise: generous for any article (a long one is 100 KB),
// small enough that a mistake (a video saved as .md) fails fast and clearly.
const DefaultMaxFileSize = 32 << 20

// ReadFile reads a content file (Markdown or YAML), file (project-relative)
// in the project folder root, inside it even through symbolic links:
// only a regular file of at most max bytes, and only valid UTF-8 text without
// NUL bytes, which is what every later stage assumes (Go's string handling
// would otherwise replace bad bytes with U+FFFD without a word). A missing
// file gives an error wrapping fs.ErrNotExist; every other failure is a
// diag.List naming the file.
func ReadFile(root, file string, max int64) ([]byte, error) {
	return ReadFileInto(new(bytes.Buffer), root, file, max)
}

// ReadFileInto is ReadFile into buf (see readfile.ReadInto).
func ReadFileInto(buf *bytes.Buffer, root, file string, max int64) ([]byte, error) {
	path := filepath.Join(root, filepath.FromSlash(file))
	data, err := readfile.ReadIn(buf, root, path, max)
	if err != nil {
		var tl *readfile.TooLargeError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if target, lerr := os.Readlink(path); lerr == nil {
				return nil, diag.List{diag.Errorf(file, 0, "this is a symbolic link to %s, which does not exist: fix the link or remove it", target)}
			}
			return nil, err
		case errors.As(err, &tl):
			return nil, diag.List{diag.Errorf(file, 0, "%v: raise maxFileSize in content/%s (now %s) if it is meant to be this big", err, ConfigFile, readfile.Size(max))}
		case errors.Is(err, readfile.ErrNotRegular) || errors.Is(err, readfile.ErrOutside):
			return nil, diag.List{diag.Errorf(file, 0, "%v", err)}
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, diag.List{diag.Errorf(file, 0, "cannot read: %v", err)}
	}
	LoneCRsToLFs(data)
	if ps := CheckText(file, data); len(ps) > 0 {
		return nil, ps
	}
	return data, nil
}

// maxTextProblems bounds the problems CheckText lists for one file: a file
// in the wrong encoding has thousands, and the first few say it all.
const maxTextProblems = 5

// LoneCRsToLFs turns every carriage return that no line feed follows into a
// line feed, in place. A file saved with classic Mac OS line endings (CR
// alone) has lines, as CommonMark and YAML count them; goldmark and the
// front matter's split know only LF, and saw one line: "missing front
// matter", headings as text. Byte offsets stay as they were, and a CRLF
// file is left as it is (where it is read, its CRs are dropped). Every
// content file is read through it, and the articles' originals.
func LoneCRsToLFs(data []byte) {
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 == len(data) || data[i+1] != '\n' {
			data[i] = '\n'
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			return
		}
		i += 1 + j
	}
}

// CheckText reports every invalid UTF-8 sequence and NUL byte of a text file
// (up to a few, then how many more), each with its line, byte offset and
// column, so the editor can find and fix it. Valid text costs one pass.
func CheckText(file string, data []byte) diag.List {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return nil
	}
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return diag.List{diag.Errorf(file, 1, "the file is UTF-16 (it starts with the byte-order mark %X): save it as UTF-8", data[:2])}
	}
	var ps diag.List
	more := 0
	line, lineStart := 1, 0
	for i := 0; i < len(data); {
		c := data[i]
		if c == '\n' {
			line++
			lineStart = i + 1
			i++
			continue
		}
		if c == 0 {
			if len(ps) < maxTextProblems {
				ps.Add(diag.Errorf(file, line, "NUL byte at byte offset %d (column %d): remove it; a text file never holds one", i, column(data[lineStart:i])))
			} else {
				more++
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if len(ps) < maxTextProblems {
				ps.Add(diag.Errorf(file, line, "invalid UTF-8 (byte 0x%02X) at byte offset %d (column %d): dossier reads text as UTF-8; save the file as UTF-8 and check the character there", c, i, column(data[lineStart:i])))
			} else {
				more++
			}
		}
		i += size
	}
	if more > 0 {
		ps.Add(diag.Errorf(file, line, "%d more invalid UTF-8 sequences or NUL bytes: is the file UTF-8 text?", more))
	}
	return ps
}

// column is the 1-based column (in characters) after the bytes of a line
// before it.
func column(before []byte) int { return utf8.RuneCount(before) + 1 }
