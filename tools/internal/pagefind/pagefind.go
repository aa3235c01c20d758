// Package pagefind installs npm's Pagefind, the search index the benchmark
// tools compare dossier's with, at one pinned version for both.
package pagefind

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Version is the Pagefind the benchmarks run.
const Version = "1.6.0"

// DefaultCache is where the tools keep it unless told otherwise: one
// download for both.
func DefaultCache() string { return filepath.Join(os.TempDir(), "dossier-benchsearch") }

// Install installs Pagefind into cache with npm when it is not there yet and
// returns its binary. logf reports an installation.
func Install(ctx context.Context, cache string, logf func(string, ...any)) (string, error) {
	dir := filepath.Join(cache, "pagefind-"+Version)
	bin := filepath.Join(dir, "node_modules", ".bin", "pagefind")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", errors.New("npm is needed to install Pagefind (apt-get install npm)")
	}
	logf("installing pagefind %s with npm into %s", Version, dir)
	cmd := exec.CommandContext(ctx, "npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", dir, "pagefind@"+Version)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm install pagefind: %w", err)
	}
	return bin, nil
}
