#include "ParentIndex.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace chanlint {

namespace {

thread_local ParentIndex *InUse = nullptr;

/// Walks the traversal scope as clang's ParentMapContext does (the same
/// RecursiveASTVisitor options, the same nodes pushed on the way down, in
/// the same order) and records a node's parent when the node is a Decl, a
/// Stmt or an Attr. A type location or name qualifier waits on the stack
/// until one of those is found below it: then every waiting one is
/// recorded, outermost first, with the parent it was entered under.
class Builder : public RecursiveASTVisitor<Builder> {
public:
  explicit Builder(ParentIndex::Map &Out) : Out(Out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    Scope S(*this, DynTypedNode::create(*D), /*Recorded=*/true);
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseAttr(Attr *A) {
    if (!A)
      return true;
    Scope S(*this, DynTypedNode::create(*A), /*Recorded=*/true);
    return RecursiveASTVisitor::TraverseAttr(A);
  }
  bool TraverseTypeLoc(TypeLoc TL) {
    if (!TL)
      return true;
    Scope S(*this, DynTypedNode::create(TL), /*Recorded=*/false);
    return RecursiveASTVisitor::TraverseTypeLoc(TL);
  }
  bool TraverseNestedNameSpecifierLoc(NestedNameSpecifierLoc NNS) {
    if (!NNS)
      return true;
    Scope S(*this, DynTypedNode::create(NNS), /*Recorded=*/false);
    return RecursiveASTVisitor::TraverseNestedNameSpecifierLoc(NNS);
  }
  bool TraverseObjCProtocolLoc(ObjCProtocolLoc P) {
    Scope S(*this, DynTypedNode::create(P), /*Recorded=*/false);
    return RecursiveASTVisitor::TraverseObjCProtocolLoc(P);
  }
  // Statements through the hooks of the visitor's data recursion, as clang
  // does (overriding TraverseStmt would change the order of the walk).
  bool dataTraverseStmtPre(Stmt *S) {
    enter(DynTypedNode::create(*S), /*Recorded=*/true);
    return true;
  }
  bool dataTraverseStmtPost(Stmt *) {
    Stack.pop_back();
    return true;
  }

private:
  struct Frame {
    DynTypedNode Node;
    bool Recorded;
  };
  /// One node on the stack for the extent of its traversal.
  struct Scope {
    Scope(Builder &B, const DynTypedNode &N, bool Recorded) : B(B) {
      B.enter(N, Recorded);
    }
    ~Scope() { B.Stack.pop_back(); }
    Builder &B;
  };

  void enter(const DynTypedNode &N, bool Recorded) {
    if (Recorded) {
      recordWaiting();
      if (!Stack.empty())
        Out.add(N, Stack.back().Node);
    }
    Stack.push_back({N, Recorded});
  }
  /// The waiting nodes at the top of the stack, outermost first.
  void recordWaiting() {
    size_t First = Stack.size();
    while (First > 0 && !Stack[First - 1].Recorded)
      --First;
    for (size_t I = First; I < Stack.size(); ++I) {
      if (I > 0)
        Out.add(Stack[I].Node, Stack[I - 1].Node);
      Stack[I].Recorded = true;
    }
  }

  ParentIndex::Map &Out;
  llvm::SmallVector<Frame, 32> Stack;
};

} // namespace

void ParentIndex::Map::add(const DynTypedNode &Child, const DynTypedNode &Parent) {
  if (Child.getNodeKind().hasPointerIdentity())
    add(ByPointer[Child.getMemoizationData()], Parent);
  else
    add(ByValue[Child], Parent);
}

void ParentIndex::Map::add(Parents &Slot, const DynTypedNode &Parent) {
  if (Slot.isNull()) {
    if (const auto *D = Parent.get<Decl>())
      Slot = D;
    else if (const auto *S = Parent.get<Stmt>())
      Slot = S;
    else
      Slot = new (Nodes.Allocate()) DynTypedNode(Parent);
    return;
  }
  auto *Vector = llvm::dyn_cast<llvm::SmallVector<DynTypedNode, 2> *>(Slot);
  if (!Vector) {
    Vector = new (Vectors.Allocate()) llvm::SmallVector<DynTypedNode, 2>();
    Vector->push_back(list(Slot)[0]);
    Slot = Vector;
  }
  // A parent without identity (a type location) cannot be compared: clang
  // lists it once per visit, and so does this index.
  if (!Parent.getMemoizationData() || !llvm::is_contained(*Vector, Parent))
    Vector->push_back(Parent);
}

DynTypedNodeList ParentIndex::Map::list(Parents P) {
  if (const auto *D = llvm::dyn_cast<const Decl *>(P))
    return DynTypedNode::create(*D);
  if (const auto *S = llvm::dyn_cast<const Stmt *>(P))
    return DynTypedNode::create(*S);
  if (const auto *N = llvm::dyn_cast<DynTypedNode *>(P))
    return *N;
  return llvm::ArrayRef<DynTypedNode>(*llvm::cast<llvm::SmallVector<DynTypedNode, 2> *>(P));
}

DynTypedNodeList ParentIndex::Map::find(const DynTypedNode &N) const {
  if (N.getNodeKind().hasPointerIdentity()) {
    auto It = ByPointer.find(N.getMemoizationData());
    if (It != ByPointer.end())
      return list(It->second);
  } else if (auto It = ByValue.find(N); It != ByValue.end()) {
    return list(It->second);
  }
  return llvm::ArrayRef<DynTypedNode>();
}

DynTypedNodeList ParentIndex::parents(const DynTypedNode &N) {
  if (!Index) {
    Index.emplace();
    Builder(*Index).TraverseAST(Ctx);
  }
  return Index->find(N);
}

ParentIndex::Use::Use(ParentIndex &I) : Outer(InUse) { InUse = &I; }
ParentIndex::Use::~Use() { InUse = Outer; }

DynTypedNodeList parentsOf(ASTContext &Ctx, const DynTypedNode &Node) {
  if (InUse && &InUse->context() == &Ctx &&
      Ctx.getParentMapContext().getTraversalKind() == TK_AsIs)
    return InUse->parents(Node);
  return Ctx.getParents(Node);
}

} // namespace chanlint
