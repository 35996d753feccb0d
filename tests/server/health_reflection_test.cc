// The standard services next to pathwise's: gRPC health (overall and per
// service) and server reflection.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "src/proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/server/sample_calls.h"

namespace pathwise::server {
namespace {

TEST_F(ServerTest, HealthIsServingOverallAndPerService) {
  auto health = grpc::health::v1::Health::NewStub(running_->channel);
  for (const char* service : {"", "pathwise.v1.BrownianService"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(health->Check(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, ReflectionListsTheServicesAndDescribesBrownianService) {
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(running_->channel);
  grpc::ClientContext context;
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::set<std::string> names;
  for (const auto& s : response.list_services_response().service()) names.insert(s.name());
  EXPECT_TRUE(names.count("pathwise.v1.BrownianService"));
  EXPECT_TRUE(names.count("grpc.health.v1.Health"));
  EXPECT_TRUE(names.count("grpc.reflection.v1alpha.ServerReflection"));

  request.set_file_containing_symbol("pathwise.v1.BrownianService");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response()) << response.DebugString();
  std::set<std::string> files;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.insert(file.name());
  }
  EXPECT_TRUE(files.count("pathwise/v1/brownian.proto"));
  EXPECT_TRUE(files.count("pathwise/v1/common.proto"));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

// Reflection describes SolverService.Estimate as the protos declare it, so
// grpcurl-like clients can call it without the .proto files.
TEST_F(ServerTest, ReflectionDescribesSolverServiceEstimate) {
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(running_->channel);
  grpc::ClientContext context;
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_file_containing_symbol("pathwise.v1.SolverService.Estimate");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response()) << response.DebugString();
  bool found = false;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    for (const auto& service : file.service()) {
      for (const auto& method : service.method()) {
        if (service.name() == "SolverService" && method.name() == "Estimate") {
          found = true;
          EXPECT_EQ(method.input_type(), ".pathwise.v1.EstimateRequest");
          EXPECT_EQ(method.output_type(), ".pathwise.v1.EstimateResponse");
          EXPECT_TRUE(method.server_streaming());
        }
      }
    }
  }
  EXPECT_TRUE(found);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace pathwise::server
