{
  "targets": [
    {
      "target_name": "crypto_native",
      "sources": [
        "native/addon.cc",
        "native/aes_portable.cc",
        "native/aes_x86.cc",
        "native/aes_arm.cc",
        "native/ige_dispatch.cc",
        "native/cpu.cc",
        "native/sha256.cc",
        "native/sha256_x86.cc",
        "native/ige_sha256_pair_x86.cc",
        "native/factorize.cc",
        "native/mtproto.cc",
        "native/ctr.cc",
        "native/ctr_x86.cc",
        "native/ctr_arm.cc",
        "native/modpow.cc",
        "native/memory.cc"
      ],
      "conditions": [["OS=='linux'", { "libraries": ["-ldl"] }]],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "cflags_cc": ["-O3", "-std=c++17"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "Optimization": 2, "AdditionalOptions": ["/std:c++17"] }
      }
    }
  ]
}
