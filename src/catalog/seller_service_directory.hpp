// SellerDirectory over the sellers module's SellerService: the one place the
// catalogue meets that module. Thread-safe (SellerService is).
#pragma once

#include "catalog/seller_directory.hpp"

namespace nongsan::sellers {
class SellerService;
}

namespace nongsan::catalog {

class SellerServiceDirectory final : public SellerDirectory {
 public:
  explicit SellerServiceDirectory(sellers::SellerService& sellers) : sellers_(sellers) {}

  Result<std::optional<SellerSummary>> Find(std::int64_t seller_id) override;
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) override;
  Result<std::vector<PhoneShop>> FindByPhones(const std::vector<std::string>& phones) override;
  Result<std::vector<Result<CreatedSeller>>> CreateForImportWith(db::Connection& c,
                                                                 const std::vector<ImportedSeller>& sellers,
                                                                 const Principal* actor) override;
  void ImportCommitted(const std::vector<CreatedSeller>& created, const Principal* actor) override;
  Result<std::vector<std::int64_t>> ListMembers(std::int64_t coop_id) override;

 private:
  sellers::SellerService& sellers_;
};

}  // namespace nongsan::catalog
