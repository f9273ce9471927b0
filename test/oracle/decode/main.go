// Command decode is a differential-testing oracle: it decodes Kubernetes
// manifest streams the way `kubectl apply -f FILE` does, using the real
// k8s.io/apimachinery and k8s.io/cli-runtime code, and reports the result per
// document of the stream.
//
// Protocol (one request and one response per line):
//
//	stdin:  {"id":"...","data":"<base64 of the raw stream bytes>"}
//	stdout: {"id":"...","docs":[<doc>...],"stopped":bool}
//
// where <doc> is, in stream order, one of
//
//	{"index":N,"objects":[<object JSON>...]}        the document decoded
//	{"index":N,"error":"...","partial":[...]}       the document failed
//
// "partial" is present only when kubectl would still have kept some objects
// of a failed document (a List some of whose items are rejected). "index" is
// the 0-based ordinal of the decoder call (YAMLOrJSONDecoder.Decode) that
// produced the document; it also counts documents that were skipped because
// they are empty or null, so gaps in it show skipped documents. Documents the
// line splitter drops by itself (nothing at all between two `---` lines) are
// not counted, because the decoder never returns them.
//
// "stopped" is true when the decoder could not make progress after an error
// (a JSON stream with a syntax error after its second object), i.e. the rest
// of the stream was not decoded at all.
//
// How kubectl reads `kubectl apply -f FILE` (cli-runtime v0.37, for reference):
//
//	Builder.Unstructured().ContinueOnError().FilenameParam(...).Flatten().Do()
//	  -> FlattenListVisitor(EagerVisitorList{FileVisitor{StreamVisitor}})
//	  -> ContinueOnErrorVisitor -> DecoratedVisitor(namespace helpers)
//
// FileVisitor wraps the file in
// transform.NewReader(f, unicode.BOMOverride(unicode.UTF8.NewDecoder())),
// which strips a leading UTF-8 BOM, decodes UTF-16 files that start with a
// BOM, and replaces invalid UTF-8 with U+FFFD. StreamVisitor then runs
// yaml.NewYAMLOrJSONDecoder(reader, 4096) and, for every document, trims
// space, skips empty and `null` documents and decodes the rest with
// metadataValidatingDecoder{unstructured.UnstructuredJSONScheme}.
//
// This program does the same, with one difference on purpose: kubectl's
// StreamVisitor stops the whole file at the first document the YAML/JSON
// decoder rejects, while this oracle records the error for that document and
// keeps calling Decode (the YAML line splitter can go on; a JSON stream whose
// json.Decoder has failed cannot, which is what "stopped" reports). To do
// that, the outer Decode loop below is a copy of StreamVisitor.Visit's loop,
// and every document it yields is handed, alone, to the real cli-runtime
// visitors built exactly as Builder.Do() builds them for a stream:
//
//	ContinueOnErrorVisitor{FlattenListVisitor(EagerVisitorList{StreamVisitor})}
//
// with the mapper of NewLocalBuilder().Unstructured() and the typer
// unstructuredscheme.NewUnstructuredObjectTyper() that Unstructured() sets.
// Re-decoding one document (already JSON) through a fresh StreamVisitor gives
// back the same bytes, so the per-document split changes nothing.
//
// Local mode only skips the REST mapping and client lookup (no
// "resource mapping not found" errors); FlattenListVisitor's flattening,
// DecodeList and the typer checks are the same code in both modes (the
// preferred-GVK choice only matters for typers that return several kinds,
// which the unstructured typer never does). The DecoratedVisitor helpers that
// Do() appends (SetNamespace/RequireNamespace/FilterNamespace) are left out:
// they depend on the server's REST mapping and on -n, and in local mode
// FilterNamespace would delete an empty `metadata.namespace`. Client-side
// schema validation (Schema(o.Validator)) needs the server's OpenAPI and is
// left out too.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	goruntime "runtime"
	"runtime/debug"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/unstructuredscheme"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/cli-runtime/pkg/resource"
)

// source is the name kubectl gives standard input (`kubectl apply -f -`);
// it appears in error messages such as `error parsing STDIN: ...`.
const source = "STDIN"

// Built once: the mapper holds no per-stream state.
var (
	mapper = resource.NewLocalBuilder().Unstructured().Mapper()
	typer  = unstructuredscheme.NewUnstructuredObjectTyper()
)

type request struct {
	ID   string `json:"id"`
	Data []byte `json:"data"` // base64 in the JSON line
}

type doc struct {
	Index   int               `json:"index"`
	Objects []json.RawMessage `json:"objects,omitempty"`
	Error   string            `json:"error,omitempty"`
	Partial []json.RawMessage `json:"partial,omitempty"`
}

// MarshalJSON always writes "objects" (possibly empty) for a decoded
// document and never for a failed one.
func (d doc) MarshalJSON() ([]byte, error) {
	if d.Error == "" {
		objs := d.Objects
		if objs == nil {
			objs = []json.RawMessage{}
		}
		return json.Marshal(struct {
			Index   int               `json:"index"`
			Objects []json.RawMessage `json:"objects"`
		}{d.Index, objs})
	}
	return json.Marshal(struct {
		Index   int               `json:"index"`
		Error   string            `json:"error"`
		Partial []json.RawMessage `json:"partial,omitempty"`
	}{d.Index, d.Error, d.Partial})
}

type response struct {
	ID      string `json:"id"`
	Docs    []doc  `json:"docs"`
	Stopped bool   `json:"stopped"`
}

// decodeDocument runs one document (the JSON bytes the stream decoder gave)
// through the cli-runtime visitors kubectl uses, and returns the objects
// kubectl would keep plus the error kubectl would report.
func decodeDocument(raw []byte) (objs []json.RawMessage, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("oracle: panic while decoding document: %v\n%s", p, debug.Stack())
		}
	}()
	stream := resource.NewStreamVisitor(bytes.NewReader(raw), mapper, source, nil)
	var v resource.Visitor = resource.EagerVisitorList{stream}
	v = resource.NewFlattenListVisitor(v, typer, mapper)
	v = resource.ContinueOnErrorVisitor{Visitor: v}
	err = v.Visit(func(info *resource.Info, err error) error {
		if err != nil {
			return err
		}
		u, ok := info.Object.(*unstructured.Unstructured)
		if !ok {
			return fmt.Errorf("oracle: unexpected object type %T", info.Object)
		}
		b, mErr := json.Marshal(u.Object)
		if mErr != nil {
			return fmt.Errorf("oracle: cannot marshal object: %v", mErr)
		}
		objs = append(objs, b)
		return nil
	})
	return objs, err
}

// sameError reports whether two errors are the very same value, which is how
// a json.Decoder that has failed answers every later call (its error is
// sticky).
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return false
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

// errBothFailed is the message YAMLOrJSONDecoder returns forever once it has
// neither a JSON nor a YAML decoder left (it gave up switching to YAML).
const errBothFailed = "decoding failed as both JSON and YAML"

func decodeStream(data []byte) (resp response) {
	resp.Docs = []doc{}
	index := 0
	defer func() {
		if p := recover(); p != nil {
			resp.Docs = append(resp.Docs, doc{Index: index, Error: fmt.Sprintf("oracle: panic while reading stream: %v\n%s", p, debug.Stack())})
			resp.Stopped = true
		}
	}()

	// As FileVisitor.Visit does for every file and for stdin.
	reader := transform.NewReader(bytes.NewReader(data), unicode.BOMOverride(unicode.UTF8.NewDecoder()))
	d := yaml.NewYAMLOrJSONDecoder(reader, 4096)

	// Every successful or failing Decode call consumes input unless the
	// decoder is stuck; the transform at most triples the size (invalid
	// bytes become 3-byte U+FFFD), so this bound is never reached by a
	// decoder that makes progress.
	maxCalls := 3*len(data) + 16
	var prevErr error
	for calls := 0; ; calls++ {
		if calls > maxCalls {
			resp.Docs = append(resp.Docs, doc{Index: index, Error: "oracle: the decoder made no progress"})
			resp.Stopped = true
			return resp
		}
		ext := runtime.RawExtension{}
		err := d.Decode(&ext)
		if err == io.EOF {
			return resp
		}
		if err != nil {
			if prevErr != nil && (sameError(err, prevErr) || err.Error() == errBothFailed) {
				// The decoder cannot go on: kubectl would have stopped at
				// prevErr anyway; report the rest of the stream as unread.
				resp.Stopped = true
				return resp
			}
			resp.Docs = append(resp.Docs, doc{Index: index, Error: fmt.Sprintf("error parsing %s: %v", source, err)})
			prevErr = err
			index++
			continue
		}
		prevErr = nil
		// As StreamVisitor.Visit does.
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			index++
			continue
		}
		objs, dErr := decodeDocument(raw)
		if dErr != nil {
			resp.Docs = append(resp.Docs, doc{Index: index, Error: dErr.Error(), Partial: objs})
		} else {
			resp.Docs = append(resp.Docs, doc{Index: index, Objects: objs})
		}
		index++
	}
}

func handle(line []byte) (resp response) {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		// Salvage the id if we can so the caller can match the answer.
		var idOnly struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(line, &idOnly)
		return response{ID: idOnly.ID, Docs: []doc{{Index: 0, Error: "oracle: bad request: " + err.Error()}}, Stopped: true}
	}
	resp = decodeStream(req.Data)
	resp.ID = req.ID
	return resp
}

// main reads requests line by line, decodes them on GOMAXPROCS workers and
// writes the responses in request order. Output is flushed whenever no
// further response is queued, so a caller that waits for an answer before
// writing more never deadlocks, while big batches are written in big chunks.
func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)

	type job struct {
		line   []byte
		result chan<- []byte
	}
	jobs := make(chan job, 256)
	order := make(chan chan []byte, 1024) // responses to write, in request order
	for w := 0; w < goruntime.GOMAXPROCS(0); w++ {
		go func() {
			for j := range jobs {
				b, err := json.Marshal(handle(j.line))
				if err != nil {
					b, _ = json.Marshal(response{Docs: []doc{{Error: "oracle: cannot encode response: " + err.Error()}}, Stopped: true})
				}
				j.result <- append(b, '\n')
			}
		}()
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		for ch := range order {
			if _, err := out.Write(<-ch); err != nil {
				fmt.Fprintf(os.Stderr, "oracle: cannot write response: %v\n", err)
				os.Exit(1)
			}
			if len(order) == 0 {
				if err := out.Flush(); err != nil {
					fmt.Fprintf(os.Stderr, "oracle: cannot write response: %v\n", err)
					os.Exit(1)
				}
			}
		}
		if err := out.Flush(); err != nil {
			fmt.Fprintf(os.Stderr, "oracle: cannot write response: %v\n", err)
			os.Exit(1)
		}
	}()

	for {
		line, readErr := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			ch := make(chan []byte, 1)
			order <- ch
			jobs <- job{line: line, result: ch}
		}
		if readErr != nil {
			if readErr != io.EOF {
				fmt.Fprintf(os.Stderr, "oracle: cannot read request: %v\n", readErr)
				os.Exit(1)
			}
			break
		}
	}
	close(jobs)
	close(order)
	<-done
}
