package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"sync"
	ttemplate "text/template"
	"text/template/parse"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/readfile"
)

// PageLimit is the most HTML one page's templates may write (its partials
// included), and one margin note's: 8 times the largest content file
// (maxFileSize; 256 MB by default), at least 16 MB. An article page is
// about 1.5 times its file, and the longest list page a few megabytes at
// 10,000 articles; a template that writes more repeats something it
// should not ({{range 1000000000}}, a range over every article inside a
// range over every article), and would otherwise take all the machine's
// memory and kill the build, or the preview with its last good pages.
func PageLimit(cfg content.Config) int64 { return max(8*cfg.FileSizeLimit(), 16<<20) }

// errTooBig is a template's output refused past the limit.
var errTooBig = errors.New("page too big")

// budget is what one page's (or note's) templates may still write.
// Shared by the page and the partials made for it.
type budget struct {
	limit, left int64
	// Locating is the second run of a page that went over (runaway): a
	// write past the limit is dropped, not refused, so that the execution
	// goes on to the next check placed in the templates, which the engine
	// locates.
	locating bool
	over     bool
}

// newBudget is a page's budget: PageLimit.
func newBudget(l *Lists) *budget {
	n := PageLimit(l.Config)
	return &budget{limit: n, left: n}
}

// limited writes into b (when not nil) within its budget.
type limited struct {
	b      *bytes.Buffer
	budget *budget
}

func (w limited) Write(p []byte) (int, error) {
	bud := w.budget
	if int64(len(p)) > bud.left {
		bud.left, bud.over = 0, true
		if bud.locating {
			return len(p), nil
		}
		return 0, errTooBig
	}
	bud.left -= int64(len(p))
	if w.b == nil {
		return len(p), nil
	}
	return w.b.Write(p)
}

// overFunc is the function of the checks instrument places.
const overFunc = "__dossierOver"

// instrument places, in every template of t, a check of b before every
// {{template}} call and at the start of every range's body: a variable
// declaration (which html/template leaves unescaped, and which prints
// nothing) calling overFunc, which fails once the page is over its limit,
// at the check's place, which is the range's or the call's.
func instrument(t *template.Template, b *budget) {
	t.Funcs(template.FuncMap{overFunc: func() (string, error) {
		if b.over {
			return "", errTooBig
		}
		return "", nil
	}})
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			instrumentList(tt.Tree.Root)
		}
	}
}

func instrumentList(l *parse.ListNode) {
	if l == nil {
		return
	}
	out := make([]parse.Node, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.RangeNode:
			instrumentList(n.List)
			instrumentList(n.ElseList)
			n.List.Nodes = append([]parse.Node{check(n.Position())}, n.List.Nodes...)
		case *parse.IfNode:
			instrumentList(n.List)
			instrumentList(n.ElseList)
		case *parse.WithNode:
			instrumentList(n.List)
			instrumentList(n.ElseList)
		case *parse.TemplateNode:
			out = append(out, check(n.Position()))
		}
		out = append(out, n)
	}
	l.Nodes = out
}

// check is {{$__dossierOver := __dossierOver}} at pos.
func check(pos parse.Pos) parse.Node {
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{parse.NewIdentifier(overFunc).SetPos(pos)}}
	v := &parse.VariableNode{NodeType: parse.NodeVariable, Pos: pos, Ident: []string{"$" + overFunc}}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Decl: []*parse.VariableNode{v}, Cmds: []*parse.CommandNode{cmd}}
	return &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Pipe: pipe}
}

// runaway is where a page kind's templates went over the limit.
type runaway struct {
	once sync.Once
	at   PageError
}

// runaway explains a page that went over its limit: where its kind's
// templates did, found once per kind and build, since finding it takes
// several times as long as the page took (locate).
func (r *Renderer) runaway(p *Page, l *Lists) *PageError {
	v, _ := l.runaways.LoadOrStore(p.Kind, &runaway{})
	ra := v.(*runaway)
	ra.once.Do(func() { ra.at = *r.locate(p, l) })
	pe := ra.at
	pe.Page = p.Path
	return &pe
}

// locate renders p again, with its template set parsed again and
// instrumented, writing nothing, and reports the range or template call
// it was in when it went over; or, when no check was reached after that,
// the page's template file.
func (r *Renderer) locate(p *Page, l *Lists) *PageError {
	pe := r.locateRunaway("page", PageLimit(l.Config), p.Kind+".html", func(bud *budget) error {
		t, err := r.parseSet(p.Kind)
		if err != nil {
			return err
		}
		instrument(t, bud)
		t.Funcs(template.FuncMap{"cached": r.cached(p.Kind, t)})
		return r.execute(t, limited{budget: bud}, p, l, &Deps{}, bud)
	})
	pe.Page = p.Path
	return pe
}

// locateRunaway runs run, an execution of templates parsed again and
// instrumented with bud (limit, locating), and returns where it went over:
// the innermost check that failed (a partial's own, not the {{cached}}
// call that showed it), else the file named fallback.
func (r *Renderer) locateRunaway(what string, limit int64, fallback string, run func(bud *budget) error) *PageError {
	bud := &budget{limit: limit, left: limit, locating: true}
	err := run(bud)
	pe := r.placeError(errTooBig, fallback)
	if errors.Is(err, errTooBig) {
		var in ttemplate.ExecError
		for e := err; errors.As(e, &in); e = in.Err {
			pe = r.placeError(in, fallback)
		}
	}
	pe.err = errTooBig
	pe.Msg = fmt.Sprintf("the %s is over %s here: does a range repeat, or a template call itself, more than it should? (a page, or a note, may be 8 times maxFileSize, and at least 16 MB)", what, readfile.Size(limit))
	return pe
}

// noteRunaway is locateRunaway for the note template.
func (r *Renderer) noteRunaway(n *Note, limit int64) *PageError {
	return r.locateRunaway("note", limit, partials, func(bud *budget) error {
		t, err := template.New(partials).Funcs(r.funcs()).Parse(string(r.files[partials]))
		if err != nil {
			return err
		}
		instrument(t, bud)
		return t.ExecuteTemplate(limited{budget: bud}, "note", n)
	})
}
