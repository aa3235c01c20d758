// Package testtool is for tests that need a tool from outside Go (Debian's
// Chromium, Java with the W3C HTML checker). Such a test must never pass
// silently without its tool:
//   - with CI set (CI=true, as .ci/run and GitHub Actions set it), a missing
//     tool fails the test;
//   - elsewhere the test is skipped, and the skip is written as one line to
//     the file named by DOSSIER_SKIP_LOG, which `make test` prints at the end
//     of its output, so a developer sees what did not run.
//
// A skip asked for on purpose (DOSSIER_SKIP_BROWSER in the Pages workflow)
// is logged too, but never fails.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// LogEnv names the file skips are appended to.
const LogEnv = "DOSSIER_SKIP_LOG"

// Missing reports that the tool a test needs is not there: how says how to
// get it. It fails the test when CI is set, else logs and skips it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but %s is missing: %s", what, how)
	}
	Skip(t, fmt.Sprintf("%s is missing (%s)", what, how))
}

// Skip skips the test on purpose, logging why.
func Skip(t testing.TB, why string) {
	t.Helper()
	logSkip(t.Name(), why)
	t.Skip(why)
}

// logSkip appends "skipped TestName: why" to the skip log, if there is one.
// Each package's tests run in their own process; one short O_APPEND write
// per line keeps the lines whole.
func logSkip(name, why string) {
	p := os.Getenv(LogEnv)
	if p == "" {
		return
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return // the skip itself is still reported by go test
	}
	defer f.Close()
	fmt.Fprintf(f, "skipped %s: %s\n", name, why)
}

// Chromium returns the browser a browser test drives: $CHROMIUM, else
// Debian's chromium (or another Chrome on the PATH). Without one the test
// is skipped with a line, or fails with CI set (see Missing); purpose says
// what the test needed it for. DOSSIER_SKIP_BROWSER skips browser tests on
// purpose (the Pages workflow, which must not wait on them to publish).
func Chromium(t testing.TB, purpose string) string {
	t.Helper()
	if os.Getenv("DOSSIER_SKIP_BROWSER") != "" {
		Skip(t, "browser test skipped: DOSSIER_SKIP_BROWSER is set")
	}
	for _, name := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "Chromium, for "+purpose, "apt-get install chromium, or set CHROMIUM=/path/to/chrome")
	return ""
}
