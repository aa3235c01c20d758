package output

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// buildFolders lists the build folders (".out.tmp-…", ".out.old-…") in parent.
func buildFolders(t *testing.T, parent string) []string {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestStageStreamsFromManyGoroutines(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	st, err := NewStage(dir, WriteOptions{Root: filepath.Join(parent, "proj")})
	if err != nil {
		t.Fatal(err)
	}
	const n = 500 // more than the queue and the writers
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += 4 {
				errs <- st.Put(&File{Path: fmt.Sprintf("articles/a%d/index.html", i), Data: []byte(fmt.Sprint("page ", i))})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the output folder exists before Commit (%v)", err)
	}
	if err := st.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := st.Files(); got != n {
		t.Errorf("Files() = %d, want %d", got, n)
	}
	for i := range n {
		b, err := os.ReadFile(filepath.Join(dir, "articles", fmt.Sprintf("a%d", i), "index.html"))
		if err != nil || string(b) != fmt.Sprint("page ", i) {
			t.Fatalf("page %d: %q, %v", i, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
		t.Errorf("no marker: %v", err)
	}
	if s := buildFolders(t, parent); len(s) > 0 {
		t.Errorf("left behind %v", s)
	}
	if err := st.Put(&File{Path: "late.html"}); err == nil {
		t.Error("Put after Commit succeeded")
	}
}

func TestStageRefusesAndFails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"a second file at one path", []string{"a.html", "b.html", "a.html"}, "two output files for a.html"},
		{"an unsafe path", []string{"../escape.html"}, "unsafe output path"},
		{"the marker's path", []string{MarkerFile}, "unsafe output path"},
		{"a write that fails", []string{"a", "a/b.html"}, "write a"}, // a file and a folder a: one of them fails
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "old.html"), []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			st, err := NewStage(dir, WriteOptions{Root: filepath.Join(parent, "proj"), Force: true})
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, f := range tc.files {
				if err := st.Put(&File{Path: f, Data: []byte(f)}); err != nil {
					errs = append(errs, err.Error())
				}
			}
			if err := st.Commit(context.Background()); err != nil {
				errs = append(errs, err.Error())
			}
			all := strings.Join(errs, "\n")
			if !strings.Contains(all, tc.want) || !strings.Contains(all, "untouched") {
				t.Fatalf("errors %q, want one saying %q and that the previous output is untouched", all, tc.want)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "old.html")); err != nil || string(b) != "previous" {
				t.Errorf("previous output changed: %q, %v", b, err)
			}
			if s := buildFolders(t, parent); len(s) > 0 {
				t.Errorf("left behind %v", s)
			}
		})
	}
}

func TestStageAbortLeavesPreviousOutput(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), []byte(markerText), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := NewStage(dir, WriteOptions{Root: filepath.Join(parent, "proj")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if err := st.Put(&File{Path: fmt.Sprintf("p%d.html", i), Data: []byte("new")}); err != nil {
			t.Fatal(err)
		}
	}
	st.Abort()
	st.Abort() // twice is harmless
	if err := st.Commit(context.Background()); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("previous output changed: %v, %v", entries, err)
	}
	if s := buildFolders(t, parent); len(s) > 0 {
		t.Errorf("left behind %v", s)
	}
}

// A Stage calls each file's Done once, after writing it, and holds nothing
// of its Data afterwards: a Data scribbled over in Done is still written
// whole. An aborted Stage still calls Done for what it drops.
func TestStageCallsDoneOnceWritten(t *testing.T) {
	for _, abort := range []bool{false, true} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		st, err := NewStage(dir, WriteOptions{Root: filepath.Join(parent, "proj")})
		if err != nil {
			t.Fatal(err)
		}
		const n = 300
		var mu sync.Mutex
		done := map[int]int{}
		for i := range n {
			data := []byte(fmt.Sprint("page ", i))
			f := &File{Path: fmt.Sprintf("p%d.html", i), Data: data}
			f.Done = func() {
				for k := range data {
					data[k] = 'X' // as a pool would reuse it
				}
				mu.Lock()
				done[i]++
				mu.Unlock()
			}
			if err := st.Put(f); err != nil {
				t.Fatal(err)
			}
			if abort && i == n/2 {
				st.Abort()
				break
			}
		}
		if !abort {
			if err := st.Commit(context.Background()); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				if b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("p%d.html", i))); err != nil || string(b) != fmt.Sprint("page ", i) {
					t.Fatalf("page %d: %q, %v", i, b, err)
				}
			}
		}
		want := n
		if abort {
			want = n/2 + 1
		}
		if len(done) != want {
			t.Errorf("abort %v: Done called for %d files, want %d", abort, len(done), want)
		}
		for i, c := range done {
			if c != 1 {
				t.Errorf("abort %v: Done called %d times for file %d", abort, c, i)
			}
		}
	}
}
