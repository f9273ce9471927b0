// Command admission is kubeharden's ValidatingAdmissionPolicy oracle: it
// compiles policies and evaluates them on objects with the code
// kube-apiserver runs (k8s.io/apiserver's admission CEL compiler and
// validator, k8s.io/kubernetes's API validation, defaulting and OpenAPI
// schemas). See test/oracle/README.md.
//
// Protocol: one JSON request per stdin line, one JSON response per stdout line.
//
//	{"id"?, "load": {policies, bindings, params, kubernetesVersion?, applyDefaults?}}  -> {"id", "compile": report}
//	{"id"?, "cases": [...]}                    -> {"id", "results": [[pair...] | {"error"}...]}
//	{"id"?, "policies": ..., "cases": [...]}   -> {"id", "compile": report, "results": [...]}
//	anything malformed                         -> {"id", "error": "..."}
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"k8s.io/klog/v2"
)

type requestLine struct {
	ID    json.RawMessage `json:"id,omitempty"`
	Load  *policySetInput `json:"load,omitempty"`
	Cases []caseInput     `json:"cases,omitempty"`
	policySetInput
}

type responseLine struct {
	ID      json.RawMessage `json:"id,omitempty"`
	Compile *compileReport  `json:"compile,omitempty"`
	Results []interface{}   `json:"results,omitempty"`
	Error   string          `json:"error,omitempty"`
}

type caseError struct {
	Error string `json:"error"`
}

func main() {
	klog.LogToStderr(true)
	o := newOracle()
	workers := runtime.GOMAXPROCS(0)
	evaluators := make([]*evaluator, workers)
	for i := range evaluators {
		evaluators[i] = o.newEvaluator()
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var current *policySet
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 && !isBlank(line) {
			resp := handleLine(o, evaluators, &current, line)
			if encErr := enc.Encode(resp); encErr != nil {
				_ = enc.Encode(responseLine{ID: resp.ID, Error: "oracle: cannot encode the response: " + encErr.Error()})
			}
			if flushErr := out.Flush(); flushErr != nil {
				os.Exit(1)
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "admission oracle: reading stdin:", err)
			os.Exit(1)
		}
	}
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

func handleLine(o *oracle, evaluators []*evaluator, current **policySet, line []byte) (resp responseLine) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "admission oracle: panic: %v\n%s", p, debug.Stack())
			resp = responseLine{ID: resp.ID, Error: fmt.Sprintf("oracle: internal error: %v", p)}
		}
	}()
	var req requestLine
	if err := json.Unmarshal(line, &req); err != nil {
		return responseLine{Error: "oracle: bad request: " + err.Error()}
	}
	resp.ID = req.ID
	load := req.Load
	if load == nil && (req.Policies != nil || req.Bindings != nil || req.Params != nil) {
		load = &req.policySetInput
	}
	if load != nil {
		set, report, err := o.load(*load)
		if err != nil {
			resp.Error = "oracle: bad load: " + err.Error()
			return resp
		}
		*current = set
		resp.Compile = &report
	}
	if req.Cases != nil {
		if *current == nil {
			resp.Error = "oracle: no policy set loaded"
			return resp
		}
		resp.Results = evaluateAll(evaluators, *current, req.Cases)
	}
	if load == nil && req.Cases == nil {
		resp.Error = "oracle: bad request: expected load, policies or cases"
	}
	return resp
}

func evaluateAll(evaluators []*evaluator, set *policySet, cases []caseInput) []interface{} {
	results := make([]interface{}, len(cases))
	var wg sync.WaitGroup
	next := make(chan int, len(cases))
	for i := range cases {
		next <- i
	}
	close(next)
	for _, e := range evaluators {
		wg.Add(1)
		go func(e *evaluator) {
			defer wg.Done()
			for i := range next {
				results[i] = evaluateOne(e, set, &cases[i])
			}
		}(e)
	}
	wg.Wait()
	return results
}

func evaluateOne(e *evaluator, set *policySet, c *caseInput) (result interface{}) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "admission oracle: panic in a case: %v\n%s", p, debug.Stack())
			result = caseError{Error: fmt.Sprintf("oracle: internal error: %v", p)}
		}
	}()
	pairs, err := e.evaluateCase(set, c)
	if err != nil {
		return caseError{Error: err.Error()}
	}
	return pairs
}
