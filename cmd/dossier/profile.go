package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
)

// profileFlags are --cpuprofile and --memprofile, for users who report a
// slow build: the files are what `go tool pprof` reads.
// --timings prints where a build's time went, from the build's own
// figures: what a user can read, and paste into a report, without a
// profiler.
type profileFlags struct {
	cpu, mem string
	timings  bool
}

func addProfileFlags(fs *pflag.FlagSet, p *profileFlags) {
	fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the run to `FILE` (read it with go tool pprof)")
	fs.StringVar(&p.mem, "memprofile", "", "write a heap profile, taken at the end of the run, to `FILE` (go tool pprof)")
	fs.BoolVar(&p.timings, "timings", false, "print the time of each step (wall, CPU, garbage collection) and of each page template (pages, total, mean, slowest page)")
}

// start starts the CPU profile of a run on the project at root that writes
// the output folder out ("" for none); the returned function stops it and
// writes the heap profile. Both paths are checked first: a profile never
// replaces a file that is not one (a typo must not empty an article), nor
// goes where the build reads its sources or into the folder it replaces.
func (p profileFlags) start(root, out string) (func() error, error) {
	if p.cpu != "" && p.cpu == p.mem {
		return nil, fmt.Errorf("--cpuprofile and --memprofile name the same file %s: give each its own", p.cpu)
	}
	for _, f := range []struct{ flag, path string }{{"--cpuprofile", p.cpu}, {"--memprofile", p.mem}} {
		if f.path == "" {
			continue
		}
		if err := checkProfilePath(root, out, f.path); err != nil {
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

// checkProfilePath refuses a profile's path inside the project's sources or
// the output folder out (unless ""), and an existing file there that is not
// empty and not a profile (pprof writes gzip). The output is replaced whole
// at the end of the build: a CPU profile opened in it would be deleted with
// the previous output, and a heap profile written after it would be
// published with the site.
func checkProfilePath(root, out, path string) error {
	if name := output.InSources(root, path); name != "" {
		return fmt.Errorf("it is inside the project's %s/ folder, which the build reads: write the profile elsewhere, e.g. /tmp/dossier.pprof", name)
	}
	if out != "" && output.Within(out, path) {
		return fmt.Errorf("it is inside the output folder %s, which the build replaces whole (and publishes): write the profile elsewhere, e.g. /tmp/dossier.pprof", out)
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

// printTimings writes a build's steps and page templates as two tables,
// names left, figures right.
func printTimings(w io.Writer, steps []build.Step, templates []build.TemplateTime) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "step\t%8s\t%8s\t%8s\n", "wall", "cpu", "gc")
	var wall, cpu, gc time.Duration
	for _, s := range steps {
		fmt.Fprintf(tw, "%s\t%8s\t%8s\t%8s\n", s.Name, duration(s.Duration), cpuDuration(s.CPU), duration(s.GC))
		wall, cpu, gc = wall+s.Duration, cpu+s.CPU, gc+s.GC
	}
	fmt.Fprintf(tw, "all steps\t%8s\t%8s\t%8s\n", duration(wall), cpuDuration(cpu), duration(gc))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(templates) == 0 {
		return nil // no page rendered: only the steps
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "page template\t%7s\t%8s\t%8s\t%8s\n", "pages", "total", "mean", "slowest")
	for _, t := range templates {
		mean := t.Total / time.Duration(max(t.Pages, 1))
		fmt.Fprintf(tw, "templates/%s.html\t%7d\t%8s\t%8s\t%8s  /%s\n", t.Kind, t.Pages, duration(t.Total), duration(mean), duration(t.Max), t.Slowest)
	}
	return tw.Flush()
}

// cpuDuration is duration(d), or "-" where the system does not report CPU
// time (build.Step).
func cpuDuration(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return duration(d)
}

// duration prints d to three significant figures or so, in s, ms or µs.
func duration(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
}
