package markdown

import (
	"bytes"

	"github.com/dossier-news/dossier/internal/diag"
)

// Limits on the shape of Markdown, checked before goldmark sees it. goldmark
// is linear on ordinary text, but some inputs make it quadratic in the size
// of one block: a paragraph full of unclosed link openers "[a](", brackets,
// emphasis or backtick delimiters, link reference definitions without blank
// lines between them, or blockquotes nested hundreds deep (160 KB of "[a]("
// takes seconds, 1 MB minutes). No article has such blocks; bounding them
// keeps every build's time proportional to the size of its files.
const (
	// MaxBlock is the most bytes of consecutive non-blank lines (a
	// paragraph, a list or a quote without a blank line), outside fenced
	// code, which goldmark does not parse inline.
	MaxBlock = 64 << 10
	// MaxWord is the longest run of ASCII characters without a space (a
	// long URL is 2 KB): link openers "[a](" look for their ")" up to the
	// next space, so a long run of them is quadratic in its length. Other
	// scripts end a run: Chinese or Japanese text has no spaces at all.
	MaxWord = 8 << 10
	// MaxQuoteDepth is the deepest nesting of blockquotes on one line.
	MaxQuoteDepth = 16
	// MaxListDepth is the deepest nesting of lists and blockquotes opened
	// on one line ("- - - item", "1. 1. item", "> - > - item"): goldmark
	// takes time quadratic in it (20,000 deep, 40 KB, took 4 s; 64 KB
	// blocks of them, minutes a block).
	MaxListDepth = 32
)

// checkLimits reports the blocks of src over MaxBlock and the lines quoting
// deeper than MaxQuoteDepth, at their file lines. One pass over src.
func checkLimits(src []byte, opts Options) diag.List {
	var ps diag.List
	block, blockStart := 0, 0
	fence := []byte(nil) // the opening fence while inside fenced code
	endBlock := func() {
		if block > MaxBlock {
			ps.Add(diag.Errorf(opts.File, opts.BodyLine+blockStart, "%d bytes of text without a blank line (a paragraph, list or quote): dossier takes at most %d (%d KB); split it with blank lines", block, MaxBlock, MaxBlock>>10))
		}
		block = 0
	}
	for n, rest := 0, src; len(rest) > 0; n++ {
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		line := rest[:end]
		rest = rest[min(end+1, len(rest)):]
		trimmed := bytes.TrimLeft(line, " \t")
		if fence != nil {
			if bytes.HasPrefix(trimmed, fence) && len(bytes.Trim(trimmed, string(fence[:1])+" \t\r")) == 0 {
				fence = nil
			}
			continue
		}
		if f := fenceOf(trimmed); f != nil {
			endBlock()
			fence = f
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			endBlock()
			continue
		}
		if block == 0 {
			blockStart = n
		}
		block += len(line) + 1
		// A word is no longer than its line: most lines need no scan.
		if len(line) > MaxWord {
			if w := longestWord(line); w > MaxWord {
				ps.Add(diag.Errorf(opts.File, opts.BodyLine+n, "%d bytes of text without a space: dossier takes at most %d (%d KB); break it up (an image belongs in static/, not in a data: URL)", w, MaxWord, MaxWord>>10))
			}
		}
		if depth := quoteDepth(trimmed); depth > MaxQuoteDepth {
			ps.Add(diag.Errorf(opts.File, opts.BodyLine+n, "blockquotes nested %d deep: dossier takes at most %d", depth, MaxQuoteDepth))
		} else if depth := containerDepth(trimmed); depth > MaxListDepth {
			ps.Add(diag.Errorf(opts.File, opts.BodyLine+n, "lists nested %d deep on one line: dossier takes at most %d; a list item's text cannot start with \"- \", \"* \" or \"1. \" unless escaped (\\-)", depth, MaxListDepth))
		}
		if len(ps) >= 5 {
			return ps
		}
	}
	endBlock()
	return ps
}

// fenceOf returns the fence (``` or ~~~, as long as written) opening fenced
// code on a line, or nil.
func fenceOf(line []byte) []byte {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(line) && line[n] == c {
			n++
		}
		if n >= 3 && (c == '~' || bytes.IndexByte(line[n:], '`') < 0) {
			return line[:n]
		}
	}
	return nil
}

// quoteDepth counts the blockquote markers ('>', spaces between) starting a line.
func quoteDepth(line []byte) int {
	d := 0
	for _, c := range line {
		switch c {
		case '>':
			d++
		case ' ', '\t':
		default:
			return d
		}
	}
	return d
}

// containerDepth counts the list markers ("-", "*", "+", "1.", "1)", each
// followed by a space) and blockquote markers ('>') starting a line, that
// is the containers it opens, when text follows them: a line of markers
// alone, such as "- - -", is a thematic break.
func containerDepth(line []byte) int {
	if len(bytes.Trim(line, "-*_ \t")) == 0 {
		return 0 // a thematic break, or markers alone
	}
	d := 0
	for {
		line = bytes.TrimLeft(line, " \t")
		if len(line) == 0 {
			return 0 // markers alone
		}
		switch c := line[0]; {
		case c == '>':
			line = line[1:]
		case (c == '-' || c == '*' || c == '+') && len(line) > 1 && (line[1] == ' ' || line[1] == '\t'):
			line = line[2:]
		case c >= '0' && c <= '9':
			k := 1
			for k < len(line) && k < 10 && line[k] >= '0' && line[k] <= '9' {
				k++
			}
			if k+1 < len(line) && (line[k] == '.' || line[k] == ')') && (line[k+1] == ' ' || line[k+1] == '\t') {
				line = line[k+2:]
			} else {
				return d
			}
		default:
			return d
		}
		d++
	}
}

// longestWord is the length of the longest run of ASCII characters in line
// other than spaces and tabs.
func longestWord(line []byte) int {
	longest, run := 0, 0
	for _, c := range line {
		if c <= ' ' || c >= 0x80 {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return longest
}
