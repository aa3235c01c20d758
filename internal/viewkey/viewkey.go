// Package viewkey hashes the data a template is rendered with, so that a
// page's cache key follows from exactly what its template receives: every
// exported field reachable from the view, walked by reflection, with no list
// of inputs kept by hand. Immutable shared parts (an article's card or body,
// reused across many pages and builds) implement Keyed and are hashed once,
// when they are made; the walk stops at them.
//
// Only exported fields are hashed, because a template can reach nothing else.
// Methods a template may call on view types must therefore compute from
// exported fields only (ReadingMinutes from Words, Human from the date's
// fields): the package's tests check that view types carry no other state.
//
// Keys are compared within one process only (the preview server's caches),
// so a fast seeded hash is enough; the seed is fixed for the process.
package viewkey

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"reflect"
	"sort"
	"sync"
)

// Key identifies a value's content.
type Key uint64

// Keyed is implemented by immutable view parts that know their own key.
type Keyed interface{ ViewKey() Key }

var seed = maphash.MakeSeed()

// Hasher accumulates a Key. The zero value is not ready; use New.
type Hasher struct{ h maphash.Hash }

// New returns an empty Hasher.
func New() *Hasher {
	h := &Hasher{}
	h.h.SetSeed(seed)
	return h
}

// String adds s (length-prefixed, so "ab","c" and "a","bc" differ).
func (h *Hasher) String(s string) *Hasher {
	h.Uint(uint64(len(s)))
	h.h.WriteString(s)
	return h
}

// Uint adds n.
func (h *Hasher) Uint(n uint64) *Hasher {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	h.h.Write(b[:])
	return h
}

// Key adds another key.
func (h *Hasher) Key(k Key) *Hasher { return h.Uint(uint64(k)) }

// Value adds everything reachable from v (see Of).
func (h *Hasher) Value(v any) *Hasher {
	if v == nil {
		h.Uint(0)
		return h
	}
	rv := reflect.ValueOf(v)
	encoderFor(rv.Type())(h, rv)
	return h
}

// Sum returns the key.
func (h *Hasher) Sum() Key { return Key(h.h.Sum64()) }

// Of returns the key of everything a template could read from v.
func Of(v any) Key { return New().Value(v).Sum() }

// Strings returns the key of a list of strings.
func Strings(ss ...string) Key {
	h := New()
	for _, s := range ss {
		h.String(s)
	}
	return h.Sum()
}

// Fields returns the key of the exported fields of the struct p points to,
// ignoring that *p is Keyed itself: what a Keyed type's constructor calls to
// compute the key it will return.
func Fields(p any) Key {
	rv := reflect.ValueOf(p)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("viewkey.Fields: want a pointer to a struct, got %T", p))
	}
	h := New()
	structEncoder(rv.Elem().Type())(h, rv.Elem())
	return h.Sum()
}

type encoder func(h *Hasher, v reflect.Value)

var encoders sync.Map // reflect.Type -> encoder

var keyedType = reflect.TypeFor[Keyed]()

func encoderFor(t reflect.Type) encoder {
	if e, ok := encoders.Load(t); ok {
		return e.(encoder)
	}
	// A placeholder breaks recursion through self-referential types (the
	// types may refer to themselves; the values must not: views are trees
	// and a cycle would loop, which tests catch).
	var real encoder
	var once sync.WaitGroup
	once.Add(1)
	indirect := encoder(func(h *Hasher, v reflect.Value) { once.Wait(); real(h, v) })
	if e, loaded := encoders.LoadOrStore(t, indirect); loaded {
		return e.(encoder)
	}
	defer func() {
		if r := recover(); r != nil {
			// A type no view may hold (a func): the placeholder goes, and
			// whoever waits on it panics as this call does, instead of
			// waiting forever (the next call for t panics anew).
			encoders.Delete(t)
			real = func(*Hasher, reflect.Value) { panic(r) }
			once.Done()
			panic(r)
		}
	}()
	real = newEncoder(t)
	once.Done()
	encoders.Store(t, real)
	return real
}

func newEncoder(t reflect.Type) encoder {
	if isKeyed(t) {
		walk := encoderFor(t.Elem()) // for a Keyed part reached through an unexported embedded field
		return func(h *Hasher, v reflect.Value) {
			if v.IsNil() {
				h.Uint(0)
				return
			}
			if !v.CanInterface() {
				h.Uint(2)
				walk(h, v.Elem())
				return
			}
			h.Uint(1).Key(v.Interface().(Keyed).ViewKey())
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(h *Hasher, v reflect.Value) {
			if v.Bool() {
				h.Uint(1)
			} else {
				h.Uint(0)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(h *Hasher, v reflect.Value) { h.Uint(uint64(v.Int())) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(h *Hasher, v reflect.Value) { h.Uint(v.Uint()) }
	case reflect.Float32, reflect.Float64:
		return func(h *Hasher, v reflect.Value) { h.Uint(math.Float64bits(v.Float())) }
	case reflect.String:
		return func(h *Hasher, v reflect.Value) { h.String(v.String()) }
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return func(h *Hasher, v reflect.Value) { h.String(string(v.Bytes())) }
		}
		elem := encoderFor(t.Elem())
		return func(h *Hasher, v reflect.Value) {
			n := v.Len()
			h.Uint(uint64(n))
			for i := 0; i < n; i++ {
				elem(h, v.Index(i))
			}
		}
	case reflect.Pointer:
		elem := encoderFor(t.Elem())
		return func(h *Hasher, v reflect.Value) {
			if v.IsNil() {
				h.Uint(0)
				return
			}
			h.Uint(1)
			elem(h, v.Elem())
		}
	case reflect.Interface:
		return func(h *Hasher, v reflect.Value) {
			if v.IsNil() {
				h.Uint(0)
				return
			}
			e := v.Elem()
			h.String(e.Type().String())
			encoderFor(e.Type())(h, e)
		}
	case reflect.Map:
		kenc, venc := encoderFor(t.Key()), encoderFor(t.Elem())
		return func(h *Hasher, v reflect.Value) {
			// Maps iterate in random order: hash each entry alone and
			// combine the sorted entry keys.
			if v.IsNil() {
				h.Uint(0)
				return
			}
			sums := make([]uint64, 0, v.Len())
			it := v.MapRange()
			for it.Next() {
				eh := New()
				kenc(eh, it.Key())
				venc(eh, it.Value())
				sums = append(sums, uint64(eh.Sum()))
			}
			sort.Slice(sums, func(i, j int) bool { return sums[i] < sums[j] })
			h.Uint(uint64(len(sums)) + 1)
			for _, s := range sums {
				h.Uint(s)
			}
		}
	case reflect.Struct:
		return structEncoder(t)
	}
	// Funcs, channels and unsafe pointers have no content a template shows.
	panic(fmt.Sprintf("viewkey: cannot hash a %s (%s): views hold data only", t.Kind(), t))
}

// isKeyed reports whether t is a pointer to a Keyed type of its own: a view
// that embeds a Keyed part (an article page embedding the article's card, for
// .Title) gets the part's ViewKey promoted, which covers the part only, so it
// is walked instead.
func isKeyed(t reflect.Type) bool {
	if t.Kind() != reflect.Pointer || !t.Implements(keyedType) {
		return false
	}
	if e := t.Elem(); e.Kind() == reflect.Struct {
		for i := 0; i < e.NumField(); i++ {
			if f := e.Field(i); f.Anonymous && (f.Type.Implements(keyedType) || reflect.PointerTo(f.Type).Implements(keyedType)) {
				return false
			}
		}
	}
	return true
}

// structEncoder hashes the exported fields of a struct type (an embedded
// struct's fields through it, as templates see them).
func structEncoder(t reflect.Type) encoder {
	type field struct {
		index int
		enc   encoder
	}
	var fields []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() && !(f.Anonymous && isStructOrPtr(f.Type)) {
			continue
		}
		if f.Tag.Get("viewkey") == "-" {
			continue
		}
		fields = append(fields, field{i, encoderFor(f.Type)})
	}
	return func(h *Hasher, v reflect.Value) {
		for _, f := range fields {
			f.enc(h, v.Field(f.index))
		}
	}
}

func isStructOrPtr(t reflect.Type) bool {
	return t.Kind() == reflect.Struct || t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
}
