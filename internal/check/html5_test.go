package check_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

// TestSiteIsValidHTML5 runs the W3C Nu HTML Checker (vnu.jar, from
// npm's vnu-jar package) over every page of the test fixture, minified as
// published. .ci/run installs it and sets VNU_JAR; elsewhere the test skips
// with a line at the end of `make test` (with CI set, it fails).
func TestSiteIsValidHTML5(t *testing.T) {
	if os.Getenv("DOSSIER_SKIP_HTML5") != "" {
		testtool.Skip(t, "HTML5 validation skipped: DOSSIER_SKIP_HTML5 is set")
	}
	jar := os.Getenv("VNU_JAR")
	if jar == "" {
		testtool.Missing(t, "the W3C HTML checker, for HTML5 validation", "set VNU_JAR to vnu.jar from npm's vnu-jar package; .ci/run installs it")
	}
	if _, err := exec.LookPath("java"); err != nil {
		testtool.Missing(t, "java, for the W3C HTML checker", "apt-get install default-jre-headless")
	}
	res, err := build.New(build.Options{Root: testsite.New(t), BaseURL: "https://example.github.io/dossier/", Minify: true}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := output.Write(context.Background(), res.Site, dir); err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, p := range res.Site.Paths() {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, filepath.Join(dir, filepath.FromSlash(p)))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*60e9)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", append([]string{"-jar", jar, "--errors-only", "--also-check-css", "--also-check-svg"}, pages...)...)
	out, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("vnu found problems in %d pages (exit %v):\n%s", len(pages), err, strings.ReplaceAll(string(out), "file:"+dir+"/", ""))
	}
}
