package io.linuxpatch.packages.backend.apt.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** A small sandbox root: a dpkg admin dir with status and file lists, and apt lists with two suites. */
record InventoryFixture(Path adminDir, Path listsDir) {

  static final Instant CURL_INSTALLED = Instant.parse("2025-03-04T05:06:07Z");

  static final String STATUS = """
      Package: curl
      Status: install ok installed
      Installed-Size: 500
      Maintainer: Curl Maintainers <curl@example.org>
      Architecture: amd64
      Version: 7.88.1-10+deb12u5
      Provides: http-client
      Depends: libc6 (>= 2.34), libcurl4 (= 7.88.1-10+deb12u5)
      Description: command line tool for transferring data
       It supports many protocols.
      Homepage: https://curl.se/

      Package: libcurl4
      Status: install ok installed
      Installed-Size: 900
      Architecture: amd64
      Source: curl
      Version: 7.88.1-10+deb12u5
      Depends: libc6 (>= 2.34)
      Description: easy-to-use client-side URL transfer library

      Package: libc6
      Status: install ok installed
      Installed-Size: 12000
      Architecture: amd64
      Source: glibc
      Version: 2.36-9+deb12u4
      Description: GNU C Library: Shared libraries

      Package: libmulti
      Status: install ok installed
      Installed-Size: 10
      Architecture: i386
      Multi-Arch: same
      Version: 1.0
      Description: a foreign-architecture library

      Package: downloader
      Status: install ok installed
      Installed-Size: 20
      Architecture: all
      Version: 0.1
      Pre-Depends: http-client | wget
      Description: fetches things through any http client

      Package: wget
      Status: hold ok installed
      Installed-Size: 3000
      Architecture: amd64
      Version: 1.21.3-1+b2
      Depends: libc6 (>= 2.34)
      Description: retrieves files from the web

      Package: tzdata
      Status: install ok installed
      Installed-Size: 3500
      Architecture: all
      Version: 2023c-5
      Description: time zone and daylight-saving time data

      Package: old-tool
      Status: deinstall ok config-files
      Installed-Size: 40
      Architecture: amd64
      Version: 1.0-1
      Description: removed long ago
      """;

  static InventoryFixture create(Path root) throws IOException {
    Path adminDir = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Path info = Files.createDirectories(adminDir.resolve("info"));
    Files.writeString(adminDir.resolve("status"), STATUS);
    Path curlList = Files.writeString(info.resolve("curl.list"), "/.\n/usr\n/usr/bin\n/usr/bin/curl\n");
    Files.setLastModifiedTime(curlList, FileTime.from(CURL_INSTALLED));
    Files.writeString(info.resolve("libmulti:i386.list"), "/.\n/usr/lib/i386-linux-gnu/libmulti.so.1\n");
    Path lists = Files.createDirectories(root.resolve("var/lib/apt/lists"));
    Files.writeString(lists.resolve("deb.debian.org_debian_dists_bookworm_Release"), AptListsParserTest.RELEASE);
    Files.writeString(lists.resolve("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"), """
        Package: curl
        Version: 7.88.1-10+deb12u5
        Architecture: amd64

        Package: tzdata
        Version: 2024a-0+deb12u1
        Architecture: all
        Installed-Size: 3600

        Package: nano
        Version: 7.2-1
        Architecture: amd64
        Installed-Size: 2000
        Description: small, friendly text editor

        Package: old-tool
        Version: 1.1-1
        Architecture: amd64

        Package: libc6
        Version: 2.36-9+deb12u4
        Architecture: amd64
        """);
    Files.writeString(lists.resolve("security.debian.org_debian-security_dists_bookworm-security_InRelease"),
        AptListsParserTest.IN_RELEASE);
    Files.writeString(lists.resolve(
        "security.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages"), """
        Package: curl
        Version: 7.88.1-10+deb12u8
        Architecture: amd64
        """);
    return new InventoryFixture(adminDir, lists);
  }

  Inventory inventory() throws IOException {
    return new InventoryCache(adminDir, listsDir).current();
  }
}
