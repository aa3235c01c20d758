package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/pflag"

	"github.com/dossier-news/dossier/internal/output"
)

// profileFlags are --cpuprofile and --memprofile, for users who report a
// slow build: the files are what `go tool pprof` reads.
type profileFlags struct {
	cpu, mem string
}

func addProfileFlags(fs *pflag.FlagSet, p *profileFlags) {
	fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the run to `FILE` (read it with go tool pprof)")
	fs.StringVar(&p.mem, "memprofile", "", "write a heap profile, taken at the end of the run, to `FILE` (go tool pprof)")
}

// start starts the CPU profile of a run on the project at root; the
// returned function stops it and writes the heap profile. Both paths are
// checked first: a profile never replaces a file that is not one (a typo
// must not empty an article), nor goes where the build reads its sources.
func (p profileFlags) start(root string) (func() error, error) {
	if p.cpu != "" && p.cpu == p.mem {
		return nil, fmt.Errorf("--cpuprofile and --memprofile name the same file %s: give each its own", p.cpu)
	}
	for _, f := range []struct{ flag, path string }{{"--cpuprofile", p.cpu}, {"--memprofile", p.mem}} {
		if f.path == "" {
			continue
		}
		if err := checkProfilePath(root, f.path); err != nil {
			return nil, fmt.Errorf("%s %s: %w", f.flag, f.path, err)
		}
	}
	var cpu *os.File
	if p.cpu != "" {
		f, err := os.Create(p.cpu)
		if err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		cpu = f
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
		}
		if p.mem == "" {
			return nil
		}
		f, err := os.Create(p.mem)
		if err != nil {
			return fmt.Errorf("--memprofile: %w", err)
		}
		runtime.GC() // the profile shows what is live at the end, as go test -memprofile does
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			f.Close()
			return fmt.Errorf("--memprofile: %w", err)
		}
		return f.Close()
	}, nil
}

// checkProfilePath refuses a profile's path inside the project's sources,
// and an existing file there that is not empty and not a profile (pprof
// writes gzip).
func checkProfilePath(root, path string) error {
	if name := output.InSources(root, path); name != "" {
		return fmt.Errorf("it is inside the project's %s/ folder, which the build reads: write the profile elsewhere, e.g. /tmp/dossier.pprof", name)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil // a new file; os.Create says what stands in its way
	}
	if st.IsDir() {
		return fmt.Errorf("it is a folder: name a file in it, e.g. %s", filepath.Join(path, "dossier.pprof"))
	}
	if st.Size() == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 2)
	if _, err := io.ReadFull(f, head); err != nil || head[0] != 0x1f || head[1] != 0x8b {
		return fmt.Errorf("it is a file that is not a profile (%d bytes): dossier replaces only an earlier profile; name a new file", st.Size())
	}
	return nil
}
