package build

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/site"
)

// load returns the content for this build: the previous content with only
// the changed article files re-read when that is safe, a full load otherwise.
// Content problems come back as errs, with the content that did load, so
// that the build goes on to list the problems of its later stages too (an
// editor fixes every problem of every file in one go); err is for a build
// that cannot go on at all (no content folder, ctx cancelled).
func (b *Builder) load(ctx context.Context, changed []string) (*content.Content, diag.List, diag.List, error) {
	if b.content == nil || !onlyArticles(changed) {
		c, err := content.Load(ctx, b.opts.Root)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, nil, ctx.Err()
			}
			l := diag.From(err, "content")
			if c == nil {
				return nil, nil, nil, l
			}
			return c, l.Warnings(), l.Errors(), nil
		}
		return c, nil, nil, nil
	}
	prev := b.content
	c := *prev
	bySlug := make(map[string]int, len(prev.Articles))
	c.Articles = append([]*content.Article(nil), prev.Articles...)
	for i, a := range c.Articles {
		bySlug[a.Slug] = i
	}
	var problems diag.List
	removed := map[string]bool{}
	var changedArticles []*content.Article
	for _, rel := range changed {
		slug := strings.TrimSuffix(path.Base(rel), ".md")
		data, err := os.ReadFile(filepath.Join(b.opts.Root, filepath.FromSlash(rel)))
		if errors.Is(err, fs.ErrNotExist) {
			removed[slug] = true
			continue
		}
		if err != nil {
			problems.Add(diag.Errorf(rel, 0, "cannot read: %v", err))
			continue
		}
		v, ps := content.ParseFile(content.ArticlesDir, rel, data)
		problems.Merge(ps)
		a, ok := v.(*content.Article)
		key := content.ArticlesDir + "/" + slug
		if ok == c.Unloaded[key] { // the file's state changed
			c.Unloaded = maps.Clone(c.Unloaded) // shared with prev
			if c.Unloaded == nil {
				c.Unloaded = map[string]bool{}
			}
			if ok {
				delete(c.Unloaded, key)
			} else {
				c.Unloaded[key] = true
			}
		}
		if !ok {
			continue
		}
		changedArticles = append(changedArticles, a)
		if i, ok := bySlug[slug]; ok {
			c.Articles[i] = a
		} else {
			bySlug[slug] = len(c.Articles)
			c.Articles = append(c.Articles, a)
		}
	}
	if len(removed) > 0 {
		kept := c.Articles[:0:0]
		for _, a := range c.Articles {
			if !removed[a.Slug] {
				kept = append(kept, a)
			}
		}
		c.Articles = kept
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	if len(removed) > 0 || len(c.Articles) != len(prev.Articles) {
		c.Sort()
	}
	problems.Merge(b.validate(prev, &c, changedArticles))
	problems.Sort()
	return &c, problems.Warnings(), problems.Errors(), nil
}

// onlyArticles reports whether every changed path is an article file, the
// case an incremental load handles.
func onlyArticles(changed []string) bool {
	if len(changed) == 0 {
		return false
	}
	for _, c := range changed {
		if !strings.HasPrefix(c, "content/articles/") || !strings.HasSuffix(c, ".md") || strings.Count(c, "/") != 2 || content.IgnoredName(path.Base(c)) {
			return false
		}
	}
	return true
}

// validate checks the content after an incremental load. When every changed
// article existed before with the same list metadata (title, date, topics,
// claims...), cross-article rules cannot have changed, so only those
// articles are checked; otherwise everything is.
func (b *Builder) validate(prev, c *content.Content, changed []*content.Article) diag.List {
	if len(c.Articles) != len(prev.Articles) {
		return content.Validate(c)
	}
	old := make(map[string]*content.Article, len(changed))
	for _, a := range changed {
		old[a.Slug] = nil
	}
	for _, a := range prev.Articles {
		if _, ok := old[a.Slug]; ok {
			old[a.Slug] = a
		}
	}
	for _, a := range changed {
		o := old[a.Slug]
		if o == nil || site.MetaHash(o) != site.MetaHash(a) {
			return content.Validate(c)
		}
	}
	mini := *c
	mini.Articles = changed
	mini.Timeline = nil
	return content.Validate(&mini)
}
