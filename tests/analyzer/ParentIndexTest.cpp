#include "AnalyzerTestSupport.h"

#include "ParentIndex.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using namespace clang;

/// Every statement, declaration and attribute of the traversal scope, as
/// clang's parent map walks it (instantiations and implicit code included).
class AllNodes : public RecursiveASTVisitor<AllNodes> {
public:
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool VisitDecl(Decl *D) { return add(DynTypedNode::create(*D)); }
  bool VisitStmt(Stmt *S) { return add(DynTypedNode::create(*S)); }
  bool VisitAttr(Attr *A) { return add(DynTypedNode::create(*A)); }
  bool TraverseTypeLoc(TypeLoc TL) {
    Locations += bool(TL);
    return RecursiveASTVisitor::TraverseTypeLoc(TL);
  }
  bool TraverseNestedNameSpecifierLoc(NestedNameSpecifierLoc NNS) {
    Locations += bool(NNS);
    return RecursiveASTVisitor::TraverseNestedNameSpecifierLoc(NNS);
  }

  std::vector<DynTypedNode> Nodes;
  /// Type locations and name qualifiers visited: clang's map holds each.
  unsigned Locations = 0;

private:
  bool add(const DynTypedNode &N) {
    Nodes.push_back(N);
    return true;
  }
};

bool sameList(DynTypedNodeList A, DynTypedNodeList B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (!(A[I] == B[I]))
      return false;
  return true;
}

/// Compares the index with clang's map over the snippet's own top-level
/// declarations: each node's parents, and theirs up to the scope's top (the
/// type locations on the way included). Returns the nodes compared, and
/// in Skipped the type locations and name qualifiers the index left out.
size_t expectParentsAsClangGivesThem(ASTUnit &AST, unsigned &Skipped) {
  ASTContext &Ctx = AST.getASTContext();
  std::vector<Decl *> Own;
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (Ctx.getSourceManager().isInMainFile(D->getLocation()))
      Own.push_back(D);
  Ctx.setTraversalScope(Own);
  AllNodes All;
  All.TraverseAST(Ctx);
  ParentIndex Index(Ctx);
  size_t Compared = 0;
  std::vector<DynTypedNode> Work = All.Nodes;
  llvm::DenseSet<DynTypedNode> Seen;
  while (!Work.empty()) {
    DynTypedNode N = Work.back();
    Work.pop_back();
    if (!Seen.insert(N).second)
      continue;
    DynTypedNodeList Theirs = Ctx.getParents(N);
    EXPECT_TRUE(sameList(Index.parents(N), Theirs))
        << N.getNodeKind().asStringRef().str() << " at line "
        << Ctx.getSourceManager().getPresumedLineNumber(N.getSourceRange().getBegin());
    ++Compared;
    for (const DynTypedNode &P : Theirs)
      Work.push_back(P);
  }
  Skipped = All.Nodes.size() + All.Locations - Index.size();
  return Compared;
}

TEST(ParentIndex, GivesTheParentsClangGivesForEveryNodeAWalkCanReach) {
  auto AST = test::parse(R"(
#include <array>
#include <vector>
template <typename T> struct Box {
  T value{};
  std::array<int, sizeof(T)> pad{};
  template <typename F> auto with(F f) -> decltype(f(value)) { return f(value); }
};
int twice(int x, int y = 2 * sizeof(int)) { return x * y; }
struct Worker {
  chan::Chan<int> in{4};
  int count = twice(1);
  void run() {
    chan::go([this, k = twice(3)] {
      for (int v : in) count += v + k;
    });
  }
};
int main() {
  Box<int> b;
  auto [first, second] = std::pair{twice(4), twice(5, 6)};
  int table[decltype(first){3}] = {1, 2, 3};
  std::vector<chan::Chan<int>> chans(2);
  auto generic = [&](auto c) { c.send(first); };
  generic(chans[0]);
  decltype([] { return 1; }) stateless;
  return b.with([](int v) { return v + 1; }) + table[0] + stateless() + second;
}
)");
  ASSERT_TRUE(AST);
  unsigned Skipped = 0;
  // Statements, declarations and the type locations between them: many.
  EXPECT_GT(expectParentsAsClangGivesThem(*AST, Skipped), 300u);
  // Most type locations hold no statement: the index leaves them out.
  EXPECT_GT(Skipped, 100u);
}

TEST(ParentIndex, AnswersOnlyWhileInUseAndForItsOwnContext) {
  auto AST = test::parse("int f() { return 1; }", /*WithChan=*/false);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  const FunctionDecl *F = nullptr;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->getName() == "f")
      F = FD;
  ASSERT_TRUE(F);
  const Stmt *Body = F->getBody();
  ParentIndex Index(Ctx);
  EXPECT_EQ(Index.size(), 0u); // nothing built before the first question
  {
    ParentIndex::Use InUse(Index);
    DynTypedNodeList P = parentsOf(Ctx, *Body);
    ASSERT_EQ(P.size(), 1u);
    EXPECT_EQ(P[0].get<FunctionDecl>(), F);
    EXPECT_GT(Index.size(), 0u);
  }
  // Without the index, clang's map answers the same.
  DynTypedNodeList P = parentsOf(Ctx, *Body);
  ASSERT_EQ(P.size(), 1u);
  EXPECT_EQ(P[0].get<FunctionDecl>(), F);
}

} // namespace
} // namespace chanlint
