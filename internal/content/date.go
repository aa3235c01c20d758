package content

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// Precision says how much of a Date is known.
type Precision int

const (
	// Year: only the year is known ("2013").
	Year Precision = iota + 1
	// Month: year and month ("2013-05").
	Month
	// Day: a full date ("2013-05-07").
	Day
)

// Date is a calendar date known to a year, a month or a day. News articles need
// a day; timeline events may be vaguer.
type Date struct {
	Year, Month, Day int
	Precision        Precision
}

// ParseDate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" and validates the calendar.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "-")
	if len(parts) < 1 || len(parts) > 3 {
		return Date{}, fmt.Errorf("date %q: write it as YYYY-MM-DD (or YYYY-MM, YYYY where allowed)", s)
	}
	widths := []int{4, 2, 2}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) != widths[i] {
			return Date{}, fmt.Errorf("date %q: write it as YYYY-MM-DD (or YYYY-MM, YYYY where allowed)", s)
		}
		nums[i] = n
	}
	d := Date{Year: nums[0], Precision: Precision(len(parts))}
	if d.Precision >= Month {
		d.Month = nums[1]
		if d.Month < 1 || d.Month > 12 {
			return Date{}, fmt.Errorf("date %q: month %d does not exist", s, d.Month)
		}
	}
	if d.Precision == Day {
		d.Day = nums[2]
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if d.Day < 1 || t.Day() != d.Day {
			return Date{}, fmt.Errorf("date %q: day %d does not exist in that month", s, d.Day)
		}
	}
	return d, nil
}

// UnmarshalYAML implements goccy/go-yaml's NodeUnmarshaler so a bad date is
// reported at its own line.
func (d *Date) UnmarshalYAML(node ast.Node) error {
	var s string
	switch n := node.(type) {
	case *ast.StringNode:
		s = n.Value
	case *ast.IntegerNode:
		s = n.GetToken().Value
	default:
		s = node.String()
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return &lineError{line: node.GetToken().Position.Line, msg: err.Error()}
	}
	*d = parsed
	return nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Precision == 0 }

// Time returns the first instant of the date in UTC.
func (d Date) Time() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Compare orders dates chronologically; a vaguer date sorts before a precise one
// in the same period ("2013" < "2013-05" < "2013-05-07").
func (d Date) Compare(o Date) int {
	for _, p := range [][2]int{{d.Year, o.Year}, {d.Month, o.Month}, {d.Day, o.Day}} {
		if p[0] != p[1] {
			if p[0] < p[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// String is the ISO form at the date's own precision.
func (d Date) String() string {
	switch d.Precision {
	case Year:
		return fmt.Sprintf("%04d", d.Year)
	case Month:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case Day:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// Human is the date for readers: "7 May 2013", "May 2013" or "2013".
func (d Date) Human() string {
	switch d.Precision {
	case Year:
		return strconv.Itoa(d.Year)
	case Month:
		return fmt.Sprintf("%s %d", time.Month(d.Month), d.Year)
	case Day:
		return fmt.Sprintf("%d %s %d", d.Day, time.Month(d.Month), d.Year)
	}
	return ""
}

type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }
