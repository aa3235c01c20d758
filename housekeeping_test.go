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
