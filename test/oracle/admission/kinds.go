package main

// The built-in kinds: which GroupVersionKinds exist, their resource names and
// scopes. kube-apiserver learns resource names and scopes from its REST
// storage; the oracle has no storage, so it derives them from the scheme of
// the kube-apiserver's API groups (every kind with an OpenAPI definition) and
// a table of irregular plurals and cluster-scoped kinds.

import (
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	generatedopenapi "k8s.io/kubernetes/pkg/generated/openapi"

	// The API groups kube-apiserver installs (pkg/controlplane/import_known_versions.go):
	// each registers its types, defaulting and conversion in legacyscheme.Scheme.
	_ "k8s.io/kubernetes/pkg/apis/admission/install"
	_ "k8s.io/kubernetes/pkg/apis/admissionregistration/install"
	_ "k8s.io/kubernetes/pkg/apis/apiserverinternal/install"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/authentication/install"
	_ "k8s.io/kubernetes/pkg/apis/authorization/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/certificates/install"
	_ "k8s.io/kubernetes/pkg/apis/coordination/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/discovery/install"
	_ "k8s.io/kubernetes/pkg/apis/events/install"
	_ "k8s.io/kubernetes/pkg/apis/extensions/install"
	_ "k8s.io/kubernetes/pkg/apis/flowcontrol/install"
	_ "k8s.io/kubernetes/pkg/apis/imagepolicy/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/node/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	_ "k8s.io/kubernetes/pkg/apis/resource/install"
	_ "k8s.io/kubernetes/pkg/apis/scheduling/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"
	_ "k8s.io/kubernetes/pkg/apis/storagemigration/install"
)

// Kinds whose resource name is not the guessed lower-case plural.
var irregularPlurals = map[string]string{
	"Endpoints": "endpoints",
}

// Cluster-scoped built-in kinds (every other built-in kind is namespaced).
var clusterScopedKinds = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "ComponentStatus": true,
	"ClusterRole": true, "ClusterRoleBinding": true,
	"StorageClass": true, "CSIDriver": true, "CSINode": true, "VolumeAttachment": true, "VolumeAttributesClass": true,
	"PriorityClass": true, "RuntimeClass": true, "IngressClass": true, "IPAddress": true, "ServiceCIDR": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	"CertificateSigningRequest": true, "ClusterTrustBundle": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true,
	"TokenReview": true, "SelfSubjectReview": true,
	"SubjectAccessReview": true, "SelfSubjectAccessReview": true, "SelfSubjectRulesReview": true,
	"DeviceClass": true, "ResourceSlice": true, "DeviceTaintRule": true,
	"StorageVersion": true, "StorageVersionMigration": true,
	"ImageReview": true,
}

type kindInfo struct {
	GVK        schema.GroupVersionKind
	GVR        schema.GroupVersionResource
	Namespaced bool
}

type kindTable struct {
	byGVK map[schema.GroupVersionKind]kindInfo
	byGVR map[schema.GroupVersionResource]kindInfo
	// The kube-apiserver's OpenAPI definitions, by definition name.
	definitions map[string]common.OpenAPIDefinition
	mapper      *meta.DefaultRESTMapper
	equivalents runtime.EquivalentResourceRegistry
}

func buildKindTable() *kindTable {
	defs := generatedopenapi.GetOpenAPIDefinitions(func(path string) spec.Ref { return spec.MustCreateRef(path) })
	t := &kindTable{
		byGVK:       map[schema.GroupVersionKind]kindInfo{},
		byGVR:       map[schema.GroupVersionResource]kindInfo{},
		definitions: defs,
	}
	var gvs []schema.GroupVersion
	seenGV := map[schema.GroupVersion]bool{}
	for gvk := range legacyscheme.Scheme.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal {
			continue
		}
		// Only kinds with an OpenAPI definition of their own are API kinds
		// (DeleteOptions, Status, WatchEvent, ... are meta types registered in every group).
		defName, err := legacyscheme.Scheme.ToOpenAPIDefinitionName(gvk)
		if _, ok := defs[defName]; err != nil || !ok || strings.HasPrefix(defName, "k8s.io/apimachinery/pkg/apis/meta/") {
			continue
		}
		if strings.HasSuffix(gvk.Kind, "List") || strings.HasSuffix(gvk.Kind, "Options") {
			continue
		}
		plural, ok := irregularPlurals[gvk.Kind]
		if !ok {
			guessed, _ := meta.UnsafeGuessKindToResource(gvk)
			plural = guessed.Resource
		}
		info := kindInfo{GVK: gvk, GVR: gvk.GroupVersion().WithResource(plural), Namespaced: !clusterScopedKinds[gvk.Kind]}
		t.byGVK[gvk] = info
		t.byGVR[info.GVR] = info
		if !seenGV[gvk.GroupVersion()] {
			seenGV[gvk.GroupVersion()] = true
			gvs = append(gvs, gvk.GroupVersion())
		}
	}
	sort.Slice(gvs, func(i, j int) bool { return gvs[i].String() < gvs[j].String() })
	t.mapper = meta.NewDefaultRESTMapper(gvs)
	// Resources of one group with the same name are the same storage in every
	// version: that is what matchPolicy: Equivalent matches across.
	t.equivalents = runtime.NewEquivalentResourceRegistryWithIdentity(func(gr schema.GroupResource) string {
		return gr.String()
	})
	for _, info := range t.byGVK {
		scope := meta.RESTScopeRoot
		if info.Namespaced {
			scope = meta.RESTScopeNamespace
		}
		t.mapper.AddSpecific(info.GVK, info.GVR, info.GVR.GroupVersion().WithResource(strings.ToLower(info.GVK.Kind)), scope)
		t.equivalents.RegisterKindFor(info.GVR, "", info.GVK)
	}
	return t
}
