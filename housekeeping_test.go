package dossier

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// What a maintainer expects of the repository: a licence that says what it
// does not cover, a go directive that accepts every toolchain of its minor
// version, and a README that tells a fork what to switch on.
func TestHousekeeping(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return string(b)
	}
	lic := read("LICENSE")
	for _, want := range []string{"MIT License", "content/articles/", "publishers", "commentary"} {
		if !strings.Contains(lic, want) {
			t.Errorf("LICENSE does not say %q", want)
		}
	}
	// "go 1.26" or "go 1.26.0", never a patch release such as 1.26.8, which
	// makes every older 1.26 toolchain download a newer one.
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+(\.\d+)?)$`).FindStringSubmatch(read("go.mod"))
	if m == nil || m[2] != "" && m[2] != ".0" {
		t.Errorf("go directive %v: want go 1.N or go 1.N.0", m)
	}
	if readme := read("README.md"); !strings.Contains(readme, "A fork must first enable workflows") {
		t.Errorf("README does not tell a fork to enable Actions")
	}
}

// The README's code layout lists every package under internal/, and only
// those: gcpace, progress and testtool had been added without a line.
func TestReadmeListsEveryPackage(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "## Code layout")
	if start < 0 {
		t.Fatal("README has no Code layout section")
	}
	section := readme[start:]
	if end := strings.Index(section[len("## "):], "\n## "); end >= 0 {
		section = section[:len("## ")+end]
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| (`[a-z]+`(?:, `[a-z]+`)*) \\|").FindAllStringSubmatch(section, -1) {
		for _, name := range strings.Split(m[1], ", ") {
			listed[strings.Trim(name, "`")] = true
		}
	}
	entries, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if !listed[e.Name()] {
			t.Errorf("internal/%s is not in the README's code layout table", e.Name())
		}
		delete(listed, e.Name())
	}
	for name := range listed {
		t.Errorf("the README's code layout table lists %s, which is not a package under internal/", name)
	}
}
