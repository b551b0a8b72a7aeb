#include "catalog/seller_service_directory.hpp"

#include "sellers/seller_service.hpp"

namespace nongsan::catalog {

Result<std::optional<SellerSummary>> SellerServiceDirectory::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<SellerSummary>();
    return std::move(seller).error();
  }
  SellerSummary summary;
  summary.id = seller->id;
  summary.name = seller->name;
  summary.commune_code = seller->commune_code;
  summary.is_public = seller->status != sellers::SellerStatus::kSuspended;
  return std::optional<SellerSummary>(std::move(summary));
}

Result<bool> SellerServiceDirectory::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

Result<std::optional<std::int64_t>> SellerServiceDirectory::FindByPhone(const std::string& phone) {
  TRY_ASSIGN(std::vector<sellers::Seller> found, sellers_.FindByPhone(phone));
  if (found.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(found.front().id);  // ordered by id: the oldest
}

Result<std::int64_t> SellerServiceDirectory::CreateForImport(const ImportedSeller& seller,
                                                             const Principal* actor) {
  sellers::ImportInput input;
  input.phone = seller.phone;
  input.name = seller.name;
  input.type = seller.type;
  input.commune_code = seller.commune_code;
  TRY_ASSIGN(sellers::Seller created, sellers_.CreateForImport(actor, input, accounts::ClientInfo{}));
  return created.id;
}

Result<std::vector<std::int64_t>> SellerServiceDirectory::ListMembers(std::int64_t coop_id) {
  TRY_ASSIGN(std::vector<sellers::Membership> members, sellers_.ListMembers(coop_id));
  std::vector<std::int64_t> ids;
  ids.reserve(members.size());
  for (const auto& m : members) ids.push_back(m.member_id);
  return ids;
}

}  // namespace nongsan::catalog
