package build

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/scratch"
)

// load returns the content for this build and its problems: the previous
// content with only the changed content files re-read when the hint allows
// it, a full load otherwise. The error is non-nil only when there is no
// content to build at all.
func (b *Builder) load(ctx context.Context, prev *state, changed []string) (*content.Content, diag.List, error) {
	// A file the load neither reads nor warns about changes nothing it
	// makes: perl -i's temporary file, renamed over the article it saves,
	// must not cost the editor a full load (half a second at 10,000
	// articles) on every save.
	whole := changed == nil
	if changed != nil {
		changed = slices.DeleteFunc(slices.Clone(changed), func(p string) bool {
			if isOriginal(p) || p == content.TimelinePath {
				return false
			}
			c := content.ChangeOf(b.opts.Root, p)
			whole = whole || c == content.ChangeOther
			return c == content.ChangeNone
		})
	}
	if prev.content == nil || whole {
		// Streamed, each article's text is read again when it is
		// rendered instead of held from the start (Options.Sink).
		c, err := content.LoadWith(ctx, b.opts.Root, content.LoadOptions{LaterBodies: b.opts.Sink != nil})
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, nil, ctxErr
		}
		if c == nil {
			return nil, nil, err
		}
		return c, diag.From(err, "content"), nil
	}
	old := prev.content
	c := *old
	c.Articles = slices.Clone(old.Articles)
	bySlug := slugIndex(c.Articles, changed)
	var problems diag.List
	removed := map[string]bool{}
	// The broken articles (content.Content.Broken), as the full load
	// keeps them: brokenNow puts slug's (nil: none) in place of the old.
	brokenChanged := false
	brokenNow := func(slug string, a *content.Article) {
		i := slices.IndexFunc(c.Broken, func(b *content.Article) bool { return b.Slug == slug })
		switch {
		case i < 0 && a == nil:
			return
		case i >= 0 && a != nil:
			c.Broken = slices.Clone(c.Broken) // shared with old
			c.Broken[i] = a
		case i >= 0:
			c.Broken = slices.Delete(slices.Clone(c.Broken), i, i+1)
		default:
			c.Broken = append(slices.Clone(c.Broken), a)
		}
		brokenChanged = true
	}
	var changedArticles []*content.Article
	before := map[string]*content.Article{} // the previous versions of the changed articles
	reread := map[string]bool{}             // the files read again
	docsChanged := false                    // a topic, entity or claim file or the timeline read again
	for _, rel := range changed {
		if isOriginal(rel) {
			continue // read by readOriginals
		}
		reread[rel] = true
		if rel == content.TimelinePath {
			problems.Merge(c.ReadTimeline())
			docsChanged = true
			continue
		}
		if kind := path.Base(path.Dir(rel)); kind != content.ArticlesDir {
			// A topic, entity or claim: few, and referred to by
			// articles, so the content is checked whole (validate).
			problems.Merge(reloadDoc(b.opts.Root, &c, kind, rel))
			docsChanged = true
			continue
		}
		slug := strings.TrimSuffix(path.Base(rel), ".md")
		data, err := content.ReadFile(b.opts.Root, rel, old.Config.FileSizeLimit())
		key := content.ArticlesDir + "/" + slug
		if errors.Is(err, fs.ErrNotExist) {
			removed[slug] = true
			brokenNow(slug, nil)
			setUnloaded(&c, key, false)
			continue
		}
		if err != nil {
			problems.Merge(diag.From(err, rel))
			continue
		}
		v, ps := content.ParseFilePartly(content.ArticlesDir, rel, data)
		problems.Merge(ps)
		a, ok := v.(*content.Article)
		if ok && a.IsBroken() {
			brokenNow(slug, a)
			ok = false
		} else {
			brokenNow(slug, nil)
		}
		setUnloaded(&c, key, !ok)
		if !ok {
			// Unparsable: drop the old version, as a full load would.
			removed[slug] = true
			continue
		}
		changedArticles = append(changedArticles, a)
		if i, ok := bySlug[slug]; ok {
			if i < len(old.Articles) {
				before[slug] = old.Articles[i]
			}
			c.Articles[i] = a
		} else {
			bySlug[slug] = len(c.Articles)
			c.Articles = append(c.Articles, a)
		}
	}
	if len(removed) > 0 {
		c.Articles = slices.DeleteFunc(c.Articles, func(a *content.Article) bool { return removed[a.Slug] })
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if len(removed) > 0 || len(c.Articles) != len(old.Articles) || brokenChanged || docsChanged {
		// (The broken articles' problems are listed by validate with
		// the changed ones': content.Validate checks c.Broken.)
		c.Sort()
	}
	if docsChanged {
		problems.Merge(revalidate(old, &c, prev.contentProblems, reread))
	} else {
		problems.Merge(validate(old, &c, changedArticles, before, prev.contentProblems, reread))
	}
	problems.Sort()
	return &c, problems, nil
}

// slugIndex maps the slugs of articles (by position) that the changed paths
// may name: only those, as a map of every article would cost more than the
// rest of a one-article rebuild's load.
func slugIndex(articles []*content.Article, changed []string) map[string]int {
	want := make(map[string]bool, len(changed))
	for _, rel := range changed {
		want[strings.TrimSuffix(path.Base(rel), ".md")] = true
	}
	idx := make(map[string]int, len(changed))
	for i, a := range articles {
		if want[a.Slug] {
			idx[a.Slug] = i
		}
	}
	return idx
}

// setUnloaded records in c.Unloaded (shared with the last build's content
// until it changes) whether the file of key (kind/slug) failed to load.
func setUnloaded(c *content.Content, key string, unloaded bool) {
	if c.Unloaded[key] == unloaded {
		return
	}
	c.Unloaded = maps.Clone(c.Unloaded)
	if c.Unloaded == nil {
		c.Unloaded = map[string]bool{}
	}
	if unloaded {
		c.Unloaded[key] = true
	} else {
		delete(c.Unloaded, key)
	}
}

// reloadDoc reads the topic, entity or claim file rel (of folder kind)
// again into c, as a full load reads it: in its list (a copy of the last
// build's), or in c.Unloaded when it has problems, or out of both when it
// is gone. It returns the file's problems.
func reloadDoc(root string, c *content.Content, kind, rel string) diag.List {
	slug := strings.TrimSuffix(path.Base(rel), ".md")
	var v any
	var problems diag.List
	data, err := content.ReadFile(root, rel, c.Config.FileSizeLimit())
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		problems = diag.From(err, rel)
	default:
		v, problems = content.ParseFile(kind, rel, data)
	}
	setUnloaded(c, kind+"/"+slug, v == nil && !errors.Is(err, fs.ErrNotExist))
	switch kind {
	case content.TopicsDir:
		c.Topics = putSlug(c.Topics, slug, v, func(t *content.Topic) string { return t.Slug })
	case content.EntitiesDir:
		c.Entities = putSlug(c.Entities, slug, v, func(e *content.Entity) string { return e.Slug })
	case content.ClaimsDir:
		c.Claims = putSlug(c.Claims, slug, v, func(cl *content.Claim) string { return cl.Slug })
	}
	return problems
}

// putSlug returns a copy of list without its item of slug, and with v
// when v is a T (the caller sorts).
func putSlug[T any](list []T, slug string, v any, slugOf func(T) string) []T {
	list = slices.DeleteFunc(slices.Clone(list), func(x T) bool { return slugOf(x) == slug })
	if t, ok := v.(T); ok {
		list = append(list, t)
	}
	return list
}

// validate checks the content after an incremental load. When every changed
// article existed before with the same references to other content (title,
// topics, the claims and speakers of its annotations), the rules across
// files cannot have changed, so only those articles are checked; otherwise
// everything is. before holds the previous versions of the changed
// articles, by slug; last the previous load's problems.
//
// Checked alone, the changed articles give their own problems, not those
// between files (a title another file has too): the problems of the last
// load are kept for every other file, and for the changed ones those the
// previous versions did not give alone, which the same references keep as
// they were. A standing warning then stays listed, as a full check lists
// it (checking everything takes 26 ms at 10,000 articles, as long as the
// rest of a one-article rebuild).
func validate(prev, c *content.Content, changed []*content.Article, before map[string]*content.Article, last diag.List, reread map[string]bool) diag.List {
	if len(c.Articles) != len(prev.Articles) {
		return revalidate(prev, c, last, reread)
	}
	olds := make([]*content.Article, len(changed))
	files := make(map[string]bool, len(changed))
	for i, a := range changed {
		o := before[a.Slug]
		if o == nil || !sameReferences(o, a) {
			return revalidate(prev, c, last, reread)
		}
		olds[i] = o
		files[a.File] = true
	}
	alone := func(articles []*content.Article) diag.List {
		mini := *c
		mini.Articles = articles
		mini.Timeline, mini.BrokenEvents = nil, nil
		return content.Validate(&mini)
	}
	// The previous versions' own problems, to tell them from the others.
	own := map[diag.Problem]int{}
	for _, p := range alone(olds) {
		own[p]++
	}
	var ps diag.List
	for _, p := range last {
		if !files[p.File] {
			ps = append(ps, p)
		} else if own[p] > 0 {
			own[p]--
		} else if p.Severity != diag.Error {
			ps = append(ps, p) // between files: as it was
		}
	}
	// The changed articles' own, and the broken ones' (content.Validate
	// checks c.Broken); the other files' are last's.
	for _, a := range c.Broken {
		files[a.File] = true
	}
	for _, p := range alone(changed) {
		if files[p.File] {
			ps = append(ps, p)
		}
	}
	return ps
}

// revalidate checks c whole, as a full load does. The last load's problems
// that its own check of prev did not give are the files' own (a file that
// cannot be read, later.markdown that is not): they stay, but for the
// files read again, whose own problems the load lists anew.
func revalidate(prev, c *content.Content, last diag.List, reread map[string]bool) diag.List {
	checked := map[diag.Problem]int{}
	for _, p := range content.Validate(prev) {
		checked[p]++
	}
	var ps diag.List
	for _, p := range last {
		if checked[p] > 0 {
			checked[p]--
		} else if !reread[p.File] {
			ps = append(ps, p)
		}
	}
	return append(ps, content.Validate(c)...)
}

// sameReferences reports whether two versions of an article refer to the
// same other content and have the same title (titles must be unique).
func sameReferences(a, b *content.Article) bool {
	if a.Slug != b.Slug || a.Title != b.Title || !slices.Equal(a.Topics, b.Topics) || len(a.Annotations) != len(b.Annotations) {
		return false
	}
	for i := range a.Annotations {
		if a.Annotations[i].Claim != b.Annotations[i].Claim || a.Annotations[i].Speaker != b.Annotations[i].Speaker {
			return false
		}
	}
	return true
}

// isOriginal reports whether a changed path is in content/originals/.
func isOriginal(p string) bool {
	return strings.HasPrefix(p, "content/"+content.OriginalsDir+"/") && !scratch.File(path.Base(p))
}
